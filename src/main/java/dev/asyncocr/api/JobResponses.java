package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.format.DocumentResponse;
import dev.asyncocr.format.JobBodies;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.format.ResultPage;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.job.Progress;
import dev.asyncocr.job.OcrJob;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Objects;

/** How a job looks over HTTP, at each point of its life: the one place that decides statuses for jobs. */
public final class JobResponses {

    /** Seconds a poller should wait before asking again about a pending job. */
    static final int POLL_AFTER_SECONDS = 1;
    /** The status of a job that was just accepted. */
    static final String SUBMITTED = "submitted";

    /**
     * A job's id and status, the body of every answer about a job that has no result (yet); a document job's
     * also tells its pages and how far they are.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobStatusResponse(@JsonProperty("request_id") String requestId,
            @Schema(enumeration = {SUBMITTED, "queued", "processing", "succeeded", "partially_succeeded", "failed",
                    "cancelled"})
            String status,
            @Schema(description = "A document's pages to read (after a selection); absent for an image")
            @JsonProperty("pages_total") Integer pagesTotal,
            @Schema(description = "A document's pages by outcome; absent for an image") Progress progress) {

        public JobStatusResponse(String requestId, String status) {
            this(requestId, status, null, null);
        }

        static JobStatusResponse of(OcrJob job, String status, Progress progress) {
            return job.isDocument() ? new JobStatusResponse(job.id(), status, job.pagesTotal(), progress)
                    : new JobStatusResponse(job.id(), status);
        }
    }

    private JobResponses() {
    }

    /** 202 for a job just accepted (or the earlier job of the same idempotency key); progress null for an image. */
    static Response submitted(OcrJob job, Progress progress) {
        return Response.accepted(JobStatusResponse.of(job, submittedBody(job).status(), progress))
                .header(HttpHeaders.LOCATION, location(job)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * The body that answers a submission: {@value #SUBMITTED} while it waits in the queue; a retry with the
     * idempotency key of a job that has moved on answers where it stands.
     */
    public static JobStatusResponse submittedBody(OcrJob job) {
        return new JobStatusResponse(job.id(), job.status() == JobStatus.QUEUED ? SUBMITTED : job.status().wireName());
    }

    /**
     * The job as it stands. A failed job answers with its error: for a poll, 422 when its input was at
     * fault and 500 when the service was; for a synchronous call the input error is the request's own
     * and answers as if it had been found inline (400, 413, 415). Only a succeeded job answers in the
     * format the request asks for.
     */
    static Response current(OcrJob job, boolean synchronous, ResultView.Rendering rendering) {
        return switch (job.status()) {
            case QUEUED, PROCESSING -> pending(job, null);
            case SUCCEEDED, PARTIALLY_SUCCEEDED -> succeeded(job, rendering);
            case FAILED -> failed(job, synchronous);
            case CANCELLED -> ErrorAnswer.builder(ErrorCode.JOB_CANCELLED, "Job " + job.id() + " was cancelled",
                    job.id()).build();
        };
    }

    /** 202 for a job not finished; {@code progress} a document's, null for an image. */
    static Response pending(OcrJob job, Progress progress) {
        return Response.accepted(JobStatusResponse.of(job, job.status().wireName(), progress))
                .header(HttpHeaders.LOCATION, location(job)).header(HttpHeaders.RETRY_AFTER, POLL_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * A finished document job with {@code pages} (all, or a slice): 200 in the format asked for when some page
     * succeeded. When every page failed, the error of its first page (each page's is at
     * {@code /pages/{n}}), 422 when that page's input was at fault and 500 when the service was. A cancelled
     * document answers as a cancelled job.
     */
    static Response finishedDocument(OcrJob job, JobStore.Pages pages, List<PageTask> shown,
            ResultView.Rendering rendering) {
        if (job.status() == JobStatus.CANCELLED) {
            return current(job, false, rendering);
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
        StreamingOutput body = out -> format.write(resultPages, out);
        return Response.ok(body, format.mediaType()).build();
    }

    /** A document's page: 200 once final, 202 with its status while pending. */
    static Response page(OcrJob job, PageTask page, boolean words) {
        DocumentResponse.Page body = DocumentResponse.Page.from(page, words);
        if (!page.status().isFinal()) {
            return Response.accepted(body).header(HttpHeaders.RETRY_AFTER, POLL_AFTER_SECONDS)
                    .header(HttpHeaders.LOCATION, location(job) + "/pages/" + page.page())
                    .type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response succeeded(OcrJob job, ResultView.Rendering rendering) {
        ResultFormat format = rendering.format();
        if (format == ResultFormat.JSON) {
            return Response.ok(JobBodies.finalBody(job, rendering.words()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        List<ResultPage> pages = List.of(new ResultPage(1, job.result()));
        StreamingOutput body = out -> format.write(pages, out);
        return Response.ok(body, format.mediaType()).build();
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
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(JobBodies.finalBody(job, false)).build();
    }
}
