package dev.asyncocr.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One event a job owes to one target, and how its delivery went: its completion event once it is final, or,
 * when the submission asked for page events, a document page's event once that page is final. Stored in the job
 * record, so that a pending delivery outlives the replica that finished the job.
 *
 * @param attempts      sends started so far
 * @param nextAttemptAt when a pending delivery is next due (while a send runs: when its lease ends); null once settled
 * @param lastStatus    the receiver's last HTTP status, null when it never answered
 * @param lastError     why the last attempt did not deliver, null after a success
 * @param page          the page whose event this is; null for the job's completion event
 */
public record Delivery(Target target, String url, State state, int attempts, Instant nextAttemptAt,
                       Integer lastStatus, String lastError, PageEvent page) {

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

    /**
     * A document page that turned final, as its event tells it: a snapshot, so that every send of the event
     * carries the same data.
     *
     * @param progress the job's progress right after the page turned final
     */
    public record PageEvent(int page, JobStatus status, Instant finishedAt, Progress progress) {
    }

    /** The completion event of a job that finished at {@code now}. */
    public static Delivery pending(Target target, String url, Instant now) {
        return new Delivery(target, url, State.PENDING, 0, now, null, null, null);
    }

    /** A page's event, due at once. */
    public static Delivery pending(Target target, String url, PageEvent page) {
        return new Delivery(target, url, State.PENDING, 0, page.finishedAt(), null, null, page);
    }

    public boolean dueAt(Instant now) {
        return state == State.PENDING && !nextAttemptAt.isAfter(now);
    }

    /** Whether this and {@code other} are the same event to the same target (at another point of its delivery). */
    public boolean sameAs(Delivery other) {
        return target == other.target && Objects.equals(pageNumber(), other.pageNumber());
    }

    /** Whether this is the event of page {@code number}. */
    public boolean isForPage(int number) {
        return page != null && page.page() == number;
    }

    private Integer pageNumber() {
        return page == null ? null : page.page();
    }

    /** A send starts: nobody else sends this delivery until {@code leaseEnd}, when it is due again if unsettled. */
    public Delivery claimed(Instant leaseEnd) {
        return new Delivery(target, url, state, attempts + 1, leaseEnd, lastStatus, lastError, page);
    }

    public Delivery delivered(int status) {
        return new Delivery(target, url, State.DELIVERED, attempts, null, status, null, page);
    }

    public Delivery retryAt(Instant next, Integer status, String error) {
        return new Delivery(target, url, State.PENDING, attempts, next, status, error, page);
    }

    public Delivery failed(Integer status, String error) {
        return new Delivery(target, url, State.FAILED, attempts, null, status, error, page);
    }
}
