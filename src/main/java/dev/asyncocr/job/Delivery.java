package dev.asyncocr.job;

import java.time.Instant;

/**
 * One completion event a finished job owes to one target, and how its delivery went. Stored in the job
 * record, so that a pending delivery outlives the replica that finished the job.
 *
 * @param attempts      sends started so far
 * @param nextAttemptAt when a pending delivery is next due (while a send runs: when its lease ends); null once settled
 * @param lastStatus    the receiver's last HTTP status, null when it never answered
 * @param lastError     why the last attempt did not deliver, null after a success
 */
public record Delivery(Target target, String url, State state, int attempts, Instant nextAttemptAt,
                       Integer lastStatus, String lastError) {

    /** Who asked for the event. */
    public enum Target {
        /** The job's own {@code callback_url}. */
        CALLBACK,
        /** The deployment's event sink ({@code K_SINK}, set by a Knative SinkBinding). */
        SINK
    }

    public enum State {
        PENDING, DELIVERED, FAILED
    }

    public static Delivery pending(Target target, String url, Instant now) {
        return new Delivery(target, url, State.PENDING, 0, now, null, null);
    }

    public boolean dueAt(Instant now) {
        return state == State.PENDING && !nextAttemptAt.isAfter(now);
    }

    /** A send starts: nobody else sends this delivery until {@code leaseEnd}, when it is due again if unsettled. */
    public Delivery claimed(Instant leaseEnd) {
        return new Delivery(target, url, state, attempts + 1, leaseEnd, lastStatus, lastError);
    }

    public Delivery delivered(int status) {
        return new Delivery(target, url, State.DELIVERED, attempts, null, status, null);
    }

    public Delivery retryAt(Instant next, Integer status, String error) {
        return new Delivery(target, url, State.PENDING, attempts, next, status, error);
    }

    public Delivery failed(Integer status, String error) {
        return new Delivery(target, url, State.FAILED, attempts, null, status, error);
    }
}
