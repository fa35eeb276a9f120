package dev.asyncocr.api;

import io.quarkus.logging.Log;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;

/**
 * Anything no other mapper claims: the service is at fault. The stack trace goes to the log under a
 * reference that the answer quotes; the answer itself reveals nothing of the internals.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable e) {
        String reference = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error, reference %s", reference);
        return ErrorCode.INTERNAL_ERROR.toResponse(
                "An unexpected error occurred; it was logged with reference " + reference);
    }
}
