package dev.asyncocr.api;

import dev.asyncocr.job.IdempotencyKeyReusedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An idempotency key sent again with another image. */
@Provider
public class IdempotencyKeyReusedExceptionMapper implements ExceptionMapper<IdempotencyKeyReusedException> {

    @Override
    public Response toResponse(IdempotencyKeyReusedException e) {
        return ErrorCode.IDEMPOTENCY_KEY_REUSED.toResponse(e.getMessage());
    }
}
