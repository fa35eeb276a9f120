package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.format.DocumentResponse;
import dev.asyncocr.format.JobBodies;
import dev.asyncocr.format.PageSource;
import dev.asyncocr.format.PageSources;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.format.ResultPage;
import dev.asyncocr.image.PdfDocument;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.job.Progress;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.QueueStanding;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/** How a job looks over HTTP, at each point of its life: the one place that decides statuses for jobs. */
public final class JobResponses {

    /** The status of a job that was just accepted. */
    static final String SUBMITTED = "submitted";

    /**
     * A job's id and status, the body of every answer about a job that has no result (yet); while it is pending,
     * where it stands in the queue and when it should start and finish; a document job's also tells its pages
     * and how far they are.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobStatusResponse(@JsonProperty("request_id") String requestId,
            @Schema(enumeration = {SUBMITTED, "queued", "processing", "succeeded", "partially_succeeded", "failed",
                    "cancelled", "expired"})
            String status,
            @Schema(description = "While queued: its place, 1-based, among the waiting tasks of every replica (an"
                    + " image's job is one, a document one per page not yet started) in the order workers take them")
            @JsonProperty("queue_position") Long queuePosition,
            @Schema(description = "While queued: when a worker should start it, from the measured service rate")
            @JsonProperty("estimated_start_at") Instant estimatedStartAt,
            @Schema(description = "While queued or running: when it should be done (a document: its last page)")
            @JsonProperty("estimated_finish_at") Instant estimatedFinishAt,
            @Schema(description = "A document's pages to read (after a selection); absent for an image")
            @JsonProperty("pages_total") Integer pagesTotal,
            @Schema(description = "A document's pages by outcome; absent for an image") Progress progress) {

        JobStatusResponse(String requestId, String status) {
            this(requestId, status, null, null, null, null, null);
        }

        static JobStatusResponse of(OcrJob job, String status, Optional<QueueStanding> standing, Progress progress) {
            Integer pages = job.isDocument() ? job.pagesTotal() : null;
            Progress shown = job.isDocument() ? progress : null;
            return standing.map(s -> s.position() > 0
                    ? new JobStatusResponse(job.id(), status, s.position(), s.estimatedStart(), s.estimatedFinish(),
                            pages, shown)
                    : new JobStatusResponse(job.id(), status, null, null, s.estimatedFinish(), pages, shown))
                    .orElseGet(() -> new JobStatusResponse(job.id(), status, null, null, null, pages, shown));
        }
    }

    private JobResponses() {
    }

    /** 202 for a job just accepted (or the earlier job of the same idempotency key); progress null for an image. */
    static Response submitted(OcrJob job, Optional<QueueStanding> standing, Progress progress) {
        return pollLater(Response.accepted(submittedBody(job, standing, progress)), job, standing).build();
    }

    /**
     * The body that answers a submission: {@value #SUBMITTED} while it waits in the queue; a retry with the
     * idempotency key of a job that has moved on answers where it stands.
     */
    public static JobStatusResponse submittedBody(OcrJob job, Optional<QueueStanding> standing, Progress progress) {
        return JobStatusResponse.of(job, job.status() == JobStatus.QUEUED ? SUBMITTED : job.status().wireName(), standing,
                progress);
    }

    /**
     * The job as it stands. A failed job answers with its error: for a poll, 422 when its input was at
     * fault and 500 when the service was; for a synchronous call the input error is the request's own
     * and answers as if it had been found inline (400, 413, 415). Only a succeeded job answers in the
     * format the request asks for.
     */
    static Response current(OcrJob job, Optional<QueueStanding> standing, boolean synchronous,
            ResultView.Rendering rendering, PageSources sources) {
        return switch (job.status()) {
            case QUEUED, PROCESSING -> pending(job, standing, null);
            case SUCCEEDED, PARTIALLY_SUCCEEDED -> succeeded(job, rendering, sources);
            case FAILED -> failed(job, synchronous);
            case CANCELLED -> ended(job, ErrorCode.JOB_CANCELLED.status());
            case EXPIRED -> ended(job, ErrorCode.JOB_EXPIRED.status());
        };
    }

    /** 202 for a job not finished; {@code progress} a document's, null for an image. */
    static Response pending(OcrJob job, Optional<QueueStanding> standing, Progress progress) {
        return pollLater(Response.accepted(JobStatusResponse.of(job, job.status().wireName(), standing, progress)),
                job, standing).build();
    }

    /**
     * A finished document job with {@code pages} (all, or a slice): 200 in the format asked for when some page
     * succeeded. When every page failed, the error of its first page (each page's is at
     * {@code /pages/{n}}), 422 when that page's input was at fault and 500 when the service was. A cancelled
     * document answers as a cancelled job.
     */
    static Response finishedDocument(OcrJob job, JobStore.Pages pages, List<PageTask> shown,
            ResultView.Rendering rendering, PageSources sources) {
        if (job.status() == JobStatus.CANCELLED) {
            return current(job, Optional.empty(), false, rendering, page -> Optional.empty());
        }
        if (job.status() == JobStatus.FAILED) {
            PageTask first = pages.pages().get(0);
            JobError error = Objects.requireNonNull(first.error());
            return ErrorAnswer.builder(error.code(), "Every page failed (" + pages.pages().size() + "); page "
                    + first.page() + ": " + error.message(), job.id())
                    .status(error.inputFault() ? 422 : ErrorCode.INTERNAL_ERROR.status()).build();
        }
        ResultFormat format = rendering.format();
        if (format == ResultFormat.JSON) {
            return Response.ok(DocumentResponse.from(job, pages.progress(), shown, rendering.words()),
                    MediaType.APPLICATION_JSON_TYPE).build();
        }
        List<ResultPage> resultPages = DocumentResponse.resultPages(shown);
        StreamingOutput body = out -> format.write(resultPages, sources, out);
        return Response.ok(body, format.mediaType()).build();
    }

    /**
     * A document's page: 200 once final, 202 with its status while pending, to be polled again when its job's
     * estimate says (as the job's own poll).
     */
    static Response page(OcrJob job, PageTask page, boolean words, Optional<QueueStanding> standing) {
        DocumentResponse.Page body = DocumentResponse.Page.from(page, words);
        if (!page.status().isFinal()) {
            return Response.accepted(body).header(HttpHeaders.RETRY_AFTER, retryAfter(standing))
                    .header(HttpHeaders.LOCATION, location(job) + "/pages/" + page.page())
                    .type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response succeeded(OcrJob job, ResultView.Rendering rendering, PageSources sources) {
        ResultFormat format = rendering.format();
        if (format == ResultFormat.JSON) {
            return Response.ok(JobBodies.finalBody(job, rendering.words()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        List<ResultPage> pages = List.of(new ResultPage(1, job.result()));
        StreamingOutput body = out -> format.write(pages, sources, out);
        return Response.ok(body, format.mediaType()).build();
    }

    /**
     * A pending job's 202: where to poll, and when, from its estimate: when it should start (while queued) or
     * finish (while running), 1 to 30 s away.
     */
    private static Response.ResponseBuilder pollLater(Response.ResponseBuilder accepted, OcrJob job,
            Optional<QueueStanding> standing) {
        return accepted.header(HttpHeaders.LOCATION, location(job)).header(HttpHeaders.RETRY_AFTER, retryAfter(standing))
                .type(MediaType.APPLICATION_JSON_TYPE);
    }

    /** Seconds until a pending job's estimate says it should have moved on; 1 without an estimate. */
    private static long retryAfter(Optional<QueueStanding> standing) {
        return standing.map(s -> s.retryAfterSeconds(Instant.now())).orElse(1L);
    }

    /** Where a PDF finds the job's image, read from the store only when a page is drawn. */
    static PageSources images(JobService jobs, String id) {
        return page -> page == 1 ? jobs.image(id).map(PageSource.Image::new) : Optional.empty();
    }

    /** Where a PDF finds a document's pages (a PDF's page, or a frame or image), read from the store one at a time. */
    static PageSources parts(JobService jobs, String id) {
        return page -> jobs.part(id, page).map(part -> PdfDocument.isPdf(part) ? new PageSource.PdfPage(part)
                : new PageSource.Image(part));
    }

    /** 200 with the new status, for a job that a DELETE cancelled. */
    static Response cancelled(OcrJob job) {
        return Response.ok(new JobStatusResponse(job.id(), job.status().wireName()), MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    static Response notFound(String id) {
        return ErrorAnswer.builder(ErrorCode.JOB_NOT_FOUND, "No job " + id + ": never submitted, or its result expired", id)
                .build();
    }

    static Response alreadyFinished(OcrJob job) {
        return ErrorAnswer.builder(ErrorCode.JOB_FINISHED, "Job " + job.id() + " already " + job.status().wireName(),
                job.id()).build();
    }

    /**
     * The job's result URL, relative: set as a plain header, since {@code Response.location} would resolve it
     * on the request's Host header. {@link LocationFilter} makes it absolute where configured.
     */
    static String location(OcrJob job) {
        return "/ocr/result/" + job.id();
    }

    private static Response failed(OcrJob job, boolean synchronous) {
        JobError error = job.error();
        int status = !error.inputFault() ? ErrorCode.INTERNAL_ERROR.status()
                : synchronous ? error.code().status() : 422;
        return ended(job, status);
    }

    /** A job that ended without a result: its error, with its status. */
    private static Response ended(OcrJob job, int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(JobBodies.finalBody(job, false)).build();
    }
}
