package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.Set;

/**
 * A submission's Content-Type is checked before routing: left to the router, one without a Content-Type
 * would reach the multipart method and be told, misleadingly, that it has no {@code image} part (415
 * instead), and so would a multipart body without a boundary, which cannot be split into parts (400).
 */
public class ContentTypeRequiredFilter {

    private static final Set<String> SUBMISSION_PATHS = Set.of("/ocr", "/ocr/async");

    /** After {@link RoleFilter}: a worker replica answers 404 whatever the request. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
    public Optional<Response> refuseSubmissionWithoutContentType(ContainerRequestContext request) {
        if (!HttpMethod.POST.equals(request.getMethod())
                || !SUBMISSION_PATHS.contains(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            return Optional.of(ErrorAnswer.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request has no Content-Type: send"
                    + " multipart/form-data with an 'image' part, or the image itself as the body with Content-Type"
                    + " image/* or application/octet-stream"));
        }
        if (isMultipartWithoutBoundary(request)) {
            return Optional.of(ErrorAnswer.of(ErrorCode.INVALID_REQUEST,
                    "The multipart/form-data Content-Type has no boundary parameter, so its parts cannot be read"));
        }
        return Optional.empty();
    }

    private static boolean isMultipartWithoutBoundary(ContainerRequestContext request) {
        try {
            MediaType type = request.getMediaType();
            return type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE) && !type.getParameters().containsKey("boundary");
        } catch (IllegalArgumentException e) {
            return false; // unparseable: the router answers 415
        }
    }
}
