package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.Set;

/**
 * {@code /ocr/result/{id}}: poll a job, or cancel it. Blocking: the store may be a network hop away; a long
 * poll holds no thread while it waits.
 */
@Path("/ocr/result/{id}")
@Produces(ResultFormat.MEDIA_TYPES)
@Blocking
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = ApiDocumentation.UNAUTHENTICATED)
@Tag(name = "Results", description = "Poll or cancel a submitted job")
@APIResponse(responseCode = "404", ref = ApiDocumentation.ERROR,
        description = "JOB_NOT_FOUND: never submitted, another tenant's, or expired (ocr.store.result-ttl)")
@APIResponse(responseCode = "503", ref = ApiDocumentation.UNAVAILABLE)
public class ResultResource {

    static final String WAIT = "wait";
    /** The query parameters a poll reads ({@link StrictRequestFilter} refuses others). */
    static final Set<String> QUERY_PARAMETERS = Set.of(WAIT, ResultFormat.PARAMETER, ResultView.WORDS);

    private final JobService jobs;
    private final JobWaiter waiter;
    private final ApiConfig config;
    private final Caller caller;

    public ResultResource(JobService jobs, JobWaiter waiter, ApiConfig config, Caller caller) {
        this.jobs = jobs;
        this.waiter = waiter;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The job's result, or its status while it is pending")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "The request_id its submission answered with")
    @APIResponse(responseCode = "200", ref = ApiDocumentation.RESULT)
    @APIResponse(responseCode = "202", ref = ApiDocumentation.PENDING,
            description = "Queued or processing: poll again after Retry-After")
    @APIResponse(responseCode = "406", ref = ApiDocumentation.ERROR,
            description = "NOT_ACCEPTABLE: an unknown format; the message lists the formats")
    @APIResponse(responseCode = "410", ref = ApiDocumentation.ERROR,
            description = "JOB_CANCELLED or JOB_EXPIRED: the job was cancelled, or its deadline passed before a"
                    + " worker started it; it has no result (the body's status says which)")
    @APIResponse(responseCode = "422", ref = ApiDocumentation.ERROR,
            description = "Failed on its input: the error, e.g. IMAGE_UNDECODABLE")
    @APIResponse(responseCode = "500", ref = ApiDocumentation.ERROR,
            description = "INTERNAL_ERROR: failed, the service was at fault")
    @Parameter(name = "wait", description = "Long poll: seconds to wait for the job to finish before answering "
            + "202, at most ocr.api.sync-timeout; 0 (the default) answers at once")
    @Parameter(ref = ResultFormat.PARAMETER)
    @Parameter(ref = ResultView.WORDS)
    public Uni<Response> poll(@RestPath String id, @RestQuery(WAIT) @DefaultValue("0") String wait,
            @BeanParam ResultView view) {
        Duration timeout = waitTimeout(wait);
        ResultView.Rendering rendering = view.rendering();
        // another tenant's job is not waited for: it answers 404 at once, as an unknown one does
        String tenant = caller.tenant();
        Optional<OcrJob> job = jobs.find(id, tenant);
        return (timeout.isZero() || job.isEmpty() || job.get().status().isFinal() ? Uni.createFrom().item(job)
                : waiter.awaitFinal(id, timeout).map(found -> found.isPresent()
                        && found.get().missedDeadline(Instant.now()) ? jobs.find(id, tenant) : found))
                .map(found -> found.map(j -> JobResponses.current(j, jobs.standing(j), false, rendering,
                                JobResponses.images(jobs, id)))
                        .orElseGet(() -> JobResponses.notFound(id)));
    }

    private Duration waitTimeout(String wait) {
        try {
            long seconds = Long.parseLong(wait);
            if (seconds >= 0) {
                Duration asked = Duration.ofSeconds(seconds);
                return asked.compareTo(config.syncTimeout()) > 0 ? config.syncTimeout() : asked;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_PARAMETER, "wait must be a whole number of seconds >= 0, got " + wait);
    }

    /** Cancels a job that has not finished; cancelling a cancelled job again is a no-op. */
    @DELETE
    @Operation(summary = "Cancel a queued or running job")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "The request_id its submission answered with")
    @APIResponse(responseCode = "200", description = "Cancelled (again, a no-op)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponses.JobStatusResponse.class)))
    @APIResponse(responseCode = "409", ref = ApiDocumentation.ERROR,
            description = "JOB_FINISHED: the job succeeded, failed or expired already")
    @APIResponse(responseCode = "500", ref = ApiDocumentation.ERROR,
            description = "INTERNAL_ERROR, e.g. the job store is unreachable")
    public Response cancel(@RestPath String id) {
        JobStore.Transition t = jobs.cancel(id, caller.tenant());
        if (t.job() == null) {
            return JobResponses.notFound(id);
        }
        if (t.applied() || t.job().status() == JobStatus.CANCELLED) {
            return JobResponses.cancelled(t.job());
        }
        return JobResponses.alreadyFinished(t.job());
    }
}
