package dev.asyncocr.job;

import java.time.Instant;

/**
 * When a client still wants its job, and its place in the queue. The deadline is not part of the request's
 * identity: a retry with the same idempotency key and another timeout is the same request.
 *
 * @param deadline the latest start worth running the job at, or null for none
 * @param sequence its place in the global enqueue order (the first of the slots it reserved,
 *                 {@link JobStore#reserve}); 0 before it is queued
 */
public record Schedule(Instant deadline, long sequence) {

    public static final Schedule NONE = new Schedule(null);

    /** A schedule asked for, not yet queued. */
    public Schedule(Instant deadline) {
        this(deadline, 0);
    }

    /** Whether a job started at {@code now} would start after its deadline. */
    public boolean missed(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    Schedule at(long place) {
        return new Schedule(deadline, place);
    }
}
