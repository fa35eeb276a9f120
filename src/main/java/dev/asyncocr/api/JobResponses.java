package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.format.JobBodies;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.format.ResultPage;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** How a job looks over HTTP, at each point of its life: the one place that decides statuses for jobs. */
public final class JobResponses {

    /** Seconds a poller should wait before asking again about a pending job. */
    static final int POLL_AFTER_SECONDS = 1;
    /** The status of a job that was just accepted. */
    static final String SUBMITTED = "submitted";

    /** A job's id and status, the body of every answer about a job that has no result (yet). */
    public record JobStatusResponse(@JsonProperty("request_id") String requestId,
            @Schema(enumeration = {SUBMITTED, "queued", "processing", "succeeded", "failed", "cancelled"})
            String status) {
    }

    private JobResponses() {
    }

    /** 202 for a job just accepted (or the earlier job of the same idempotency key). */
    static Response submitted(OcrJob job) {
        return Response.accepted(submittedBody(job)).header(HttpHeaders.LOCATION, location(job))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
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
            case QUEUED, PROCESSING -> Response.accepted(new JobStatusResponse(job.id(), job.status().wireName()))
                    .header(HttpHeaders.LOCATION, location(job)).header(HttpHeaders.RETRY_AFTER, POLL_AFTER_SECONDS)
                    .type(MediaType.APPLICATION_JSON_TYPE).build();
            case SUCCEEDED, PARTIALLY_SUCCEEDED -> succeeded(job, rendering);
            case FAILED -> failed(job, synchronous);
            case CANCELLED -> ErrorAnswer.builder(ErrorCode.JOB_CANCELLED, "Job " + job.id() + " was cancelled",
                    job.id()).build();
        };
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
