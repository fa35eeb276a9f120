package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobCursor;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /ocr/jobs}: the caller's jobs, newest first, a page at a time. With authentication off there is one
 * tenant, so every job submitted then is listed. Blocking: the store may be a network hop away.
 */
@Path("/ocr/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = ApiDocumentation.UNAUTHENTICATED)
@Tag(name = "Results", description = "Poll or cancel a submitted job")
public class JobListResource {

    static final String STATUS = "status";
    static final String LIMIT = "limit";
    static final String CURSOR = "cursor";
    /** The query parameters a listing reads ({@link StrictRequestFilter} refuses others). */
    static final Set<String> QUERY_PARAMETERS = Set.of(STATUS, LIMIT, CURSOR);
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final String RESULT_PATH = "/ocr/result/";

    /**
     * A page of jobs.
     *
     * @param nextCursor where the next page starts; absent on the last page
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobList(List<JobItem> jobs,
            @Schema(description = "Pass as cursor for the next page; absent on the last page")
            @JsonProperty("next_cursor") String nextCursor) {
    }

    /** One job as the listing shows it; its result is at {@code links.result}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobItem(@JsonProperty("request_id") String requestId,
            @Schema(enumeration = {"queued", "processing", "succeeded", "partially_succeeded", "failed", "cancelled",
                    "expired"}) String status,
            @JsonProperty("created_at") Instant createdAt,
            @Schema(description = "Once final") @JsonProperty("finished_at") Instant finishedAt,
            @Schema(description = "A document's pages; absent for an image") @JsonProperty("pages_total")
            Integer pagesTotal,
            Links links) {

        static JobItem of(OcrJob job) {
            return new JobItem(job.id(), job.status().wireName(), job.submittedAt(), job.finishedAt(),
                    job.isDocument() ? job.pagesTotal() : null, new Links(RESULT_PATH + job.id()));
        }
    }

    /** @param result the job's result (or status while pending): {@code GET} it */
    public record Links(String result) {
    }

    private final JobService jobs;
    private final Caller caller;

    public JobListResource(JobService jobs, Caller caller) {
        this.jobs = jobs;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's jobs, newest first, a page at a time")
    @Parameter(name = STATUS, description = "Only the jobs in this status",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"queued", "processing", "succeeded",
                    "partially_succeeded", "failed", "cancelled", "expired"}))
    @Parameter(name = LIMIT, description = "The most jobs on a page, 1 to " + MAX_LIMIT,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + MAX_LIMIT,
                    defaultValue = "" + DEFAULT_LIMIT))
    @Parameter(name = CURSOR, description = "The next_cursor of the previous page",
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "A page of the caller's jobs still kept (ocr.store.result-ttl)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobList.class)))
    @APIResponse(responseCode = "400", ref = ApiDocumentation.ERROR,
            description = "INVALID_PARAMETER: an unknown status, a limit outside 1 to " + MAX_LIMIT + ", a cursor this"
                    + " service did not give, or an unknown query parameter")
    @APIResponse(responseCode = "503", ref = ApiDocumentation.UNAVAILABLE)
    public JobList list(@RestQuery(STATUS) String status, @RestQuery(LIMIT) String limit,
            @RestQuery(CURSOR) String cursor) {
        JobService.Listing listing = jobs.list(caller.tenant(), status(status), cursor(cursor), limit(limit));
        return new JobList(listing.jobs().stream().map(JobItem::of).toList(),
                listing.next() == null ? null : encode(listing.next()));
    }

    private static JobStatus status(String status) {
        if (status == null) {
            return null;
        }
        return Arrays.stream(JobStatus.values()).filter(s -> s.wireName().equals(status)).findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_PARAMETER, "'" + STATUS + "' must be one of "
                        + Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList() + ", not '" + status
                        + "'"));
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int parsed = Integer.parseInt(limit);
            if (parsed >= 1 && parsed <= MAX_LIMIT) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + LIMIT + "' must be a whole number from 1 to "
                + MAX_LIMIT + ", not '" + limit + "'");
    }

    /** A cursor as clients hold it: opaque (its form may change), URL-safe. */
    static String encode(JobCursor cursor) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((cursor.createdMillis() + ":" + cursor.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static JobCursor cursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon > 0 && colon < text.length() - 1) {
                return new JobCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            }
        } catch (IllegalArgumentException e) { // not base64, or not a number (NumberFormatException)
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + CURSOR + "' is not a cursor this service gave:"
                + " pass a page's next_cursor as it came");
    }
}
