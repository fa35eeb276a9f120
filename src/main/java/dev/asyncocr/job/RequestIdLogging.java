package dev.asyncocr.job;

import org.jboss.logging.MDC;

/**
 * The job's request id in the logging MDC ({@code request_id}) for a block of code: every line logged in
 * it, on whichever replica and thread (HTTP, worker, callback), names the job it is about.
 */
public final class RequestIdLogging implements AutoCloseable {

    public static final String KEY = "request_id";

    private final Object previous;

    private RequestIdLogging(String requestId) {
        this.previous = MDC.get(KEY);
        MDC.put(KEY, requestId);
    }

    public static RequestIdLogging of(String requestId) {
        return new RequestIdLogging(requestId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
