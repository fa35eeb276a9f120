package dev.asyncocr.api;

import dev.asyncocr.job.CallbackUrlRefusedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A callback URL the service will not send to: refused at submission, not dropped later. */
@Provider
public class CallbackUrlRefusedExceptionMapper implements ExceptionMapper<CallbackUrlRefusedException> {

    @Override
    public Response toResponse(CallbackUrlRefusedException e) {
        return ErrorCode.INVALID_CALLBACK_URL.toResponse(e.getMessage());
    }
}
