package dev.asyncocr.api;

import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.image.PageSelection;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.PageTask;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Answers about a job as it stands, reading what a document job keeps beside its record: its progress while
 * it runs, its pages once it is done. An image's job needs nothing more than its record.
 */
@Singleton
public class JobAnswers {

    /** The media type of a page's image. */
    static final String PNG = "image/png";

    private final JobService jobs;

    public JobAnswers(JobService jobs) {
        this.jobs = jobs;
    }

    /** 202 for a job just accepted. */
    Response submitted(OcrJob job) {
        return JobResponses.submitted(job, jobs.standing(job),
                job.isDocument() ? jobs.progress(job.id()).orElse(null) : null);
    }

    /**
     * The job as it stands ({@link JobResponses#current}); a finished document with the pages {@code slice}
     * selects.
     *
     * @throws ApiException INVALID_PARAMETER when the slice names a page the document does not have
     */
    Response current(OcrJob job, boolean synchronous, ResultView.Rendering rendering, PageSelection slice) {
        if (!job.isDocument()) {
            return JobResponses.current(job, jobs.standing(job), synchronous, rendering,
                    JobResponses.images(jobs, job.id()));
        }
        if (!job.status().isFinal()) {
            return JobResponses.pending(job, jobs.standing(job), jobs.progress(job.id()).orElse(null));
        }
        Optional<JobStore.Pages> pages = jobs.pages(job.id());
        if (pages.isEmpty()) {
            return JobResponses.notFound(job.id()); // expired between the two reads
        }
        List<PageTask> all = pages.get().pages();
        List<Integer> numbers;
        try {
            numbers = slice.pages(all.get(all.size() - 1).page(), Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, e.getMessage());
        }
        List<PageTask> shown = all.stream().filter(p -> numbers.contains(p.page())).toList();
        return JobResponses.finishedDocument(job, pages.get(), shown, rendering,
                JobResponses.parts(jobs, job.id()));
    }

    /**
     * One page of a document job, as soon as it is final (200; a failed page with its error), 202 while it is
     * pending; 404 for a job that is not a document's, a page it does not have, or another tenant's job.
     */
    Response page(String id, int number, boolean words, String caller) {
        return onPage(id, number, caller, "read its result", (job, page) -> pageAnswer(job, page, words));
    }

    /**
     * A document page's image as its worker saw it (200, PNG), once the page is final, for as long as the job
     * keeps its parts; 202 while the page is pending; 404 as {@link #page} does (an image's job has no pages: its
     * client has the image); 410 {@code PAGE_IMAGE_GONE} once the job failed or was cancelled, or its parts went.
     */
    Response pageImage(String id, int number, String caller) {
        return onPage(id, number, caller, "whose client has the image it sent", (job, page) -> {
            boolean pending = !job.status().isFinal();
            if (pending && !page.status().isFinal()) {
                return pageAnswer(job, page, false);
            }
            Optional<byte[]> png;
            try {
                png = pending || JobStore.keepsImage(job) ? jobs.pageImage(job, number) : Optional.empty();
            } catch (ImageRejectedException e) { // a page that failed on its input
                return ErrorAnswer.builder(ErrorCode.of(e.reason()), "Page " + number + " cannot be shown: "
                        + e.getMessage(), id).status(422).build();
            }
            return png.map(bytes -> Response.ok(bytes, PNG).build()).orElseGet(() -> ErrorAnswer.builder(
                    ErrorCode.PAGE_IMAGE_GONE, "Job " + id + " (" + job.status().wireName() + ") no longer keeps its"
                            + " pages' images: a document keeps them while it runs and, once it succeeded in whole or"
                            + " in part, until its result expires", id).build());
        });
    }

    /** A page as JSON; a pending one with its job's queue estimate (for {@code Retry-After}). */
    private Response pageAnswer(OcrJob job, PageTask page, boolean words) {
        return JobResponses.page(job, page, words, page.status().isFinal() ? Optional.empty() : jobs.standing(job));
    }

    /** {@code answer} for the caller's job's page; 404 for another's job, or a page the job does not have. */
    private Response onPage(String id, int number, String caller, String imageJobHint,
            BiFunction<OcrJob, PageTask, Response> answer) {
        Optional<OcrJob> job = jobs.find(id, caller);
        if (job.isEmpty()) {
            return JobResponses.notFound(id);
        }
        Optional<PageTask> page = jobs.page(id, number);
        if (page.isEmpty()) {
            return ErrorAnswer.builder(ErrorCode.PAGE_NOT_FOUND, "Job " + id + " has no page " + number
                    + (job.get().isDocument() ? "" : ": it is an image's job, " + imageJobHint), id).build();
        }
        return answer.apply(job.get(), page.get());
    }
}
