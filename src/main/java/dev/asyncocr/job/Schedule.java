package dev.asyncocr.job;

import java.time.Instant;

/**
 * When a client still wants its job: a deadline by which a worker must start it, or none. Not part of the
 * request's identity: a retry with the same idempotency key and another timeout is the same request.
 *
 * @param deadline the latest start worth running the job at, or null for none
 */
public record Schedule(Instant deadline) {

    public static final Schedule NONE = new Schedule(null);

    /** Whether a job started at {@code now} would start after its deadline. */
    public boolean missed(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }
}
