package dev.asyncocr.job;

import java.util.OptionalLong;

/** The job cannot be queued now: the queue is full or the broker unreachable. Worth retrying later. */
public class QueueUnavailableException extends RuntimeException {

    private final boolean full;
    private final OptionalLong retryAfterSeconds;

    public QueueUnavailableException(String message, boolean full, Throwable cause) {
        this(message, full, cause, OptionalLong.empty());
    }

    /** @param retryAfterSeconds when a retry should be taken, where the service can estimate it */
    public QueueUnavailableException(String message, boolean full, Throwable cause, OptionalLong retryAfterSeconds) {
        super(message, cause);
        this.full = full;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** True for a full queue, false for a broker that did not answer. */
    public boolean full() {
        return full;
    }

    /** Seconds until a retry should be taken, estimated from the service rate; empty when there is no estimate. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
