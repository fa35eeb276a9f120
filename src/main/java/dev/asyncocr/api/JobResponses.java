package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.format.JobBodies;
import dev.asyncocr.format.PageSource;
import dev.asyncocr.format.PageSources;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.format.ResultPage;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.JobStatus;
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

/** How a job looks over HTTP, at each point of its life: the one place that decides statuses for jobs. */
public final class JobResponses {

    /** The status of a job that was just accepted. */
    static final String SUBMITTED = "submitted";

    /**
     * A job's id and status, the body of every answer about a job that has no result (yet); while it is pending,
     * where it stands in the queue and when it should start and finish.
     */
    public record JobStatusResponse(@JsonProperty("request_id") String requestId,
            @Schema(enumeration = {SUBMITTED, "queued", "processing", "succeeded", "failed", "cancelled", "expired"})
            String status,
            @Schema(description = "While queued: its place, 1-based, among the queued jobs of every replica in the"
                    + " order workers take them") @JsonProperty("queue_position") Long queuePosition,
            @Schema(description = "While queued: when a worker should start it, from the measured service rate")
            @JsonProperty("estimated_start_at") Instant estimatedStartAt,
            @Schema(description = "While queued or running: when it should be done")
            @JsonProperty("estimated_finish_at") Instant estimatedFinishAt) {

        JobStatusResponse(String requestId, String status) {
            this(requestId, status, null, null, null);
        }

        static JobStatusResponse of(OcrJob job, String status, Optional<QueueStanding> standing) {
            return standing.map(s -> s.position() > 0
                    ? new JobStatusResponse(job.id(), status, s.position(), s.estimatedStart(), s.estimatedFinish())
                    : new JobStatusResponse(job.id(), status, null, null, s.estimatedFinish()))
                    .orElseGet(() -> new JobStatusResponse(job.id(), status));
        }
    }

    private JobResponses() {
    }

    /** 202 for a job just accepted (or the earlier job of the same idempotency key). */
    static Response submitted(OcrJob job, Optional<QueueStanding> standing) {
        return pollLater(Response.accepted(submittedBody(job, standing)), job, standing).build();
    }

    /**
     * The body that answers a submission: {@value #SUBMITTED} while it waits in the queue; a retry with the
     * idempotency key of a job that has moved on answers where it stands.
     */
    public static JobStatusResponse submittedBody(OcrJob job, Optional<QueueStanding> standing) {
        return JobStatusResponse.of(job, job.status() == JobStatus.QUEUED ? SUBMITTED : job.status().wireName(), standing);
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
            case QUEUED, PROCESSING -> pollLater(Response.accepted(JobStatusResponse.of(job, job.status().wireName(),
                    standing)), job, standing).build();
            case SUCCEEDED -> succeeded(job, rendering, sources);
            case FAILED -> failed(job, synchronous);
            case CANCELLED -> ended(job, ErrorCode.JOB_CANCELLED.status());
            case EXPIRED -> ended(job, ErrorCode.JOB_EXPIRED.status());
        };
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
        long retryAfter = standing.map(s -> s.retryAfterSeconds(Instant.now())).orElse(1L);
        return accepted.header(HttpHeaders.LOCATION, location(job)).header(HttpHeaders.RETRY_AFTER, retryAfter)
                .type(MediaType.APPLICATION_JSON_TYPE);
    }

    /** Where a PDF finds the job's image, read from the store only when a page is drawn. */
    static PageSources images(JobService jobs, String id) {
        return page -> page == 1 ? jobs.image(id).map(PageSource.Image::new) : Optional.empty();
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
