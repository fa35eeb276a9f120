package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.format.DocumentResponse;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.image.PageSelection;
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
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
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
    /** On a DELETE: remove the finished job with all it keeps, rather than cancel it. */
    static final String PURGE = "purge";
    /** The query parameters a poll reads ({@link StrictRequestFilter} refuses others). */
    private static final Set<String> POLL_PARAMETERS = Set.of(WAIT, OcrResource.PAGES, ResultFormat.PARAMETER,
            ResultView.WORDS);
    private static final Set<String> DELETE_PARAMETERS = Set.of(PURGE);

    private final JobService jobs;
    private final JobWaiter waiter;
    private final JobAnswers answers;
    private final ApiConfig config;
    private final Caller caller;

    public ResultResource(JobService jobs, JobWaiter waiter, JobAnswers answers, ApiConfig config, Caller caller) {
        this.jobs = jobs;
        this.answers = answers;
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
    @Parameter(name = OcrResource.PAGES, description = "A finished document's pages to answer (a slice: 1-10,12), "
            + "in the document's numbering; all by default")
    public Uni<Response> poll(@RestPath String id, @RestQuery(WAIT) @DefaultValue("0") String wait,
            @RestQuery(OcrResource.PAGES) String pages, @BeanParam ResultView view) {
        Duration timeout = waitTimeout(wait);
        ResultView.Rendering rendering = view.rendering();
        PageSelection slice;
        try {
            slice = PageSelection.parse(pages);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, e.getMessage());
        }
        // another tenant's job is not waited for: it answers 404 at once, as an unknown one does
        String tenant = caller.tenant();
        Optional<OcrJob> job = jobs.find(id, tenant);
        return (timeout.isZero() || job.isEmpty() || job.get().status().isFinal() ? Uni.createFrom().item(job)
                : waiter.awaitFinal(id, timeout).map(found -> found.isPresent()
                        && found.get().missedDeadline(Instant.now()) ? jobs.find(id, tenant) : found))
                .map(found -> found.map(j -> answers.current(j, false, rendering, slice))
                        .orElseGet(() -> JobResponses.notFound(id)));
    }

    @GET
    @Path("/pages/{page}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One page of a document job, as soon as it is done, while the rest still runs")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "The request_id its submission answered with")
    @Parameter(name = "page", in = ParameterIn.PATH, description = "The page, in the document's numbering")
    @Parameter(ref = ResultView.WORDS)
    @APIResponse(responseCode = "200", description = "The page is final: succeeded (its text and lines) or failed "
            + "(its error)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DocumentResponse.Page.class)))
    @APIResponse(responseCode = "202", ref = ApiDocumentation.PAGE_PENDING)
    @APIResponse(responseCode = "400", ref = ApiDocumentation.ERROR,
            description = "INVALID_PARAMETER: the page is not a number, or words not true/false")
    public Response page(@RestPath String id, @RestPath String page, @BeanParam ResultView view) {
        return answers.page(id, pageNumber(page), view.rendering().words(), caller.tenant());
    }

    /** The page a path names. */
    static int pageNumber(String page) {
        try {
            return Integer.parseInt(page);
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "The page must be a page number, not '" + page + "'");
        }
    }

    /** The query parameters a request with this HTTP method reads. */
    static Set<String> queryParameters(String httpMethod) {
        return HttpMethod.DELETE.equals(httpMethod) ? DELETE_PARAMETERS : POLL_PARAMETERS;
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

    /**
     * Cancels a job that has not finished (cancelling a cancelled job again is a no-op); with {@code purge=true},
     * removes the job with all it keeps, cancelling it first if it has not finished.
     */
    @DELETE
    @Operation(summary = "Cancel a queued or running job; with purge=true, remove a job and all it keeps")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "The request_id its submission answered with")
    @Parameter(name = PURGE, description = "true: remove the job at once with its image, document, page parts, "
            + "pages and results (a job not yet finished is cancelled first, a completion event not yet delivered is "
            + "not sent); every read of it answers 404 afterwards. false (the default): cancel it",
            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
    @APIResponse(responseCode = "200", description = "Cancelled (again, a no-op)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponses.JobStatusResponse.class)))
    @APIResponse(responseCode = "204", description = "purge=true: the job and all it kept are removed")
    @APIResponse(responseCode = "400", ref = ApiDocumentation.ERROR,
            description = "INVALID_PARAMETER: purge is not true or false")
    @APIResponse(responseCode = "409", ref = ApiDocumentation.ERROR,
            description = "JOB_FINISHED: the job succeeded, failed or expired already (without purge)")
    @APIResponse(responseCode = "500", ref = ApiDocumentation.ERROR,
            description = "INTERNAL_ERROR, e.g. the job store is unreachable")
    public Response cancel(@RestPath String id, @RestQuery(PURGE) String purge) {
        if (purge != null && JobSubmitter.flag(PURGE, purge)) {
            return jobs.purge(id, caller.tenant()) ? Response.noContent().build() : JobResponses.notFound(id);
        }
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
