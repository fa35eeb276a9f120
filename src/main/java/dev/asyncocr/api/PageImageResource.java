package dev.asyncocr.api;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
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

import java.util.Set;

/**
 * {@code /ocr/result/{id}/pages/{page}/image}: a document page as its worker saw it, for a client to draw the
 * page's boxes over. A resource of its own, as it reads no query parameter ({@link StrictRequestFilter}).
 * Blocking: it reads the store and renders the page.
 */
@Path("/ocr/result/{id}/pages/{page}/image")
@Blocking
@SecurityRequirement(name = ApiDocumentation.BEARER)
@Tag(name = "Results", description = "Poll or cancel a submitted job")
public class PageImageResource {

    /** It reads none. */
    static final Set<String> QUERY_PARAMETERS = Set.of();

    private final JobAnswers answers;
    private final Caller caller;

    public PageImageResource(JobAnswers answers, Caller caller) {
        this.answers = answers;
        this.caller = caller;
    }

    @GET
    @Produces({JobAnswers.PNG, MediaType.APPLICATION_JSON})
    @Operation(summary = "A document page's image as it was read: rendered at the job's DPI, the size of the page's"
            + " width and height in the result, so that its boxes lie on it")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "The request_id its submission answered with")
    @Parameter(name = "page", in = ParameterIn.PATH, description = "The page, in the document's numbering")
    @APIResponse(responseCode = "200", description = "The page, once it is final",
            content = @Content(mediaType = JobAnswers.PNG,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "202", ref = ApiDocumentation.PAGE_PENDING)
    @APIResponse(responseCode = "400", ref = ApiDocumentation.ERROR,
            description = "INVALID_PARAMETER: the page is not a number, or a query parameter was given")
    @APIResponse(responseCode = "401", ref = ApiDocumentation.UNAUTHENTICATED)
    @APIResponse(responseCode = "404", ref = ApiDocumentation.ERROR,
            description = "JOB_NOT_FOUND: never submitted, another tenant's, or expired; PAGE_NOT_FOUND: a page the"
                    + " job does not read, or an image's job (its client has the image)")
    @APIResponse(responseCode = "410", ref = ApiDocumentation.ERROR,
            description = "PAGE_IMAGE_GONE: the job failed or was cancelled, and its pages went with it")
    @APIResponse(responseCode = "422", ref = ApiDocumentation.ERROR,
            description = "The page cannot be rendered (it failed on its input): its code, e.g. DOCUMENT_UNREADABLE")
    @APIResponse(responseCode = "503", ref = ApiDocumentation.UNAVAILABLE)
    public Response image(@RestPath String id, @RestPath String page) {
        return answers.pageImage(id, ResultResource.pageNumber(page), caller.tenant());
    }
}
