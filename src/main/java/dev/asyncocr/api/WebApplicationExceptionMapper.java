package dev.asyncocr.api;

import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP errors raised by the framework before or around a resource method: no method for this
 * Content-Type (415), Accept (406) or HTTP method (405), and a multipart body over
 * {@code quarkus.http.limits.max-body-size} or a form field over {@code max-form-attribute-size} (413).
 * An exception that already carries an entity, or a status without a code of its own, is answered as it is;
 * the original headers (Allow, Retry-After, ...) are kept.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        if (status >= 500) {
            Log.errorf(e, "HTTP %d raised while serving a request", status);
        }
        Optional<ErrorCode> code = ErrorCode.forFrameworkStatus(status);
        if (code.isEmpty()) {
            return original;
        }
        Response.ResponseBuilder answer = code.get().responseBuilder(message(code.get(), status));
        for (Map.Entry<String, List<Object>> header : original.getHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Content-Type")) {
                header.getValue().forEach(value -> answer.header(header.getKey(), value));
            }
        }
        return answer.build();
    }

    private static String message(ErrorCode code, int status) {
        return switch (code) {
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported Content-Type: send multipart/form-data with an 'image' part,"
                    + " or the image itself as the body with Content-Type image/* or application/octet-stream";
            case PAYLOAD_TOO_LARGE -> "The request body, or one of its form fields, is larger than the server accepts";
            case NOT_ACCEPTABLE -> "This resource answers with application/json only";
            case METHOD_NOT_ALLOWED -> "This HTTP method is not allowed on this path";
            case NOT_FOUND -> "No resource at this path";
            case INTERNAL_ERROR -> "Internal error";
            default -> "The request was rejected (HTTP " + status + ")";
        };
    }
}
