package dev.asyncocr.job;

import java.time.Instant;

/**
 * When a client still wants its job, and its place in the queue. The deadline is not part of the request's
 * identity: a retry with the same idempotency key and another timeout is the same request; its lane is.
 *
 * @param deadline the latest start worth running the job at, or null for none
 * @param sequence its place in the global enqueue order (the first of the slots it reserved,
 *                 {@link JobStore#reserve}); 0 before it is queued
 * @param lane     its priority; never null ({@link Lane#NORMAL} in records stored before lanes)
 * @param share    the tenant whose own queues it waits in ({@link FairShare}), whose turn it takes; null for the
 *                 queues the other tenants share (and in records stored before fair share)
 */
public record Schedule(Instant deadline, long sequence, Lane lane, String share) {

    public static final Schedule NONE = new Schedule(null);

    public Schedule {
        lane = lane == null ? Lane.NORMAL : lane;
    }

    /** A schedule asked for, in the normal lane, not yet queued. */
    public Schedule(Instant deadline) {
        this(deadline, Lane.NORMAL);
    }

    /** A schedule asked for, not yet queued. */
    public Schedule(Instant deadline, Lane lane) {
        this(deadline, 0, lane, null);
    }

    /**
     * Its place in the order workers take jobs, lane first, then sequence: what the stores sort the queue by, so
     * that a job's position counts the jobs of higher lanes and the earlier ones of its own.
     */
    public long order() {
        return lane.offset() + sequence;
    }

    /** The first place of its lane in that order: every place before it is a higher lane's. */
    public long laneStart() {
        return lane.offset();
    }

    /** The first place after its lane in that order. */
    public long laneEnd() {
        return lane.offset() + Lane.SPAN;
    }

    /** Whether a job started at {@code now} would start after its deadline. */
    public boolean missed(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    Schedule at(long place) {
        return new Schedule(deadline, place, lane, share);
    }

    Schedule in(String share) {
        return new Schedule(deadline, sequence, lane, share);
    }
}
