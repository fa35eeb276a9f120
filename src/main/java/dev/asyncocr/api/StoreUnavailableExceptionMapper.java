package dev.asyncocr.api;

import dev.asyncocr.job.StoreUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The job store is unreachable: 503, and when to try again, as for a broker that is down. */
@Provider
public class StoreUnavailableExceptionMapper implements ExceptionMapper<StoreUnavailableException> {

    @Override
    public Response toResponse(StoreUnavailableException e) {
        return ErrorCode.STORE_UNAVAILABLE.responseBuilder(e.getMessage())
                .header(HttpHeaders.RETRY_AFTER, QueueUnavailableExceptionMapper.RETRY_AFTER_SECONDS).build();
    }
}
