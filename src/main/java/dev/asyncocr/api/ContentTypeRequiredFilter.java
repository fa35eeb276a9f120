package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * A submission without a Content-Type is refused with 415 before routing: left to the router it would
 * reach the multipart method and be told, misleadingly, that it has no {@code image} part.
 */
public class ContentTypeRequiredFilter {

    /** After {@link RoleFilter}: a worker replica answers 404 whatever the request. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
    public Optional<Response> refuseSubmissionWithoutContentType(ContainerRequestContext request) {
        if (!HttpMethod.POST.equals(request.getMethod()) || request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null
                || !request.getUriInfo().getPath().startsWith("/ocr")) {
            return Optional.empty();
        }
        return Optional.of(ErrorAnswer.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request has no Content-Type: send"
                + " multipart/form-data with an 'image' part, or the image itself as the body with Content-Type"
                + " image/* or application/octet-stream"));
    }
}
