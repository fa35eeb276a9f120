package dev.asyncocr.api;

import dev.asyncocr.job.QueueUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A full queue or an unreachable broker: 503, and when to try again. */
@Provider
public class QueueUnavailableExceptionMapper implements ExceptionMapper<QueueUnavailableException> {

    /** Seconds a client should wait: long enough for the autoscaler or a reconnect to act. */
    static final int RETRY_AFTER_SECONDS = 5;

    @Override
    public Response toResponse(QueueUnavailableException e) {
        ErrorCode code = e.full() ? ErrorCode.QUEUE_FULL : ErrorCode.BROKER_UNAVAILABLE;
        return code.responseBuilder(e.getMessage()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }
}
