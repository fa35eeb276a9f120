package dev.asyncocr.job;

/** The job cannot be queued now: the queue is full or the broker unreachable. Worth retrying later. */
public class QueueUnavailableException extends RuntimeException {

    private final boolean full;

    public QueueUnavailableException(String message, boolean full, Throwable cause) {
        super(message, cause);
        this.full = full;
    }

    /** True for a full queue, false for a broker that did not answer. */
    public boolean full() {
        return full;
    }
}
