package dev.asyncocr.api;

import io.quarkus.logging.Log;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;

/**
 * A request body that could not be read to its end: a multipart body without its closing boundary, or a
 * connection lost mid-upload. The framework reports both as an {@link IOException} before any resource runs
 * (our own code wraps its I/O failures), so the request, not the service, is at fault.
 */
@Provider
public class UnreadableBodyExceptionMapper implements ExceptionMapper<IOException> {

    @Override
    public Response toResponse(IOException e) {
        Log.debugf(e, "Request body unreadable");
        return ErrorCode.INVALID_REQUEST.toResponse("The request body is incomplete or malformed: a multipart body"
                + " must end with its closing boundary, and every body must be as long as its Content-Length");
    }
}
