package dev.asyncocr.job;

import java.util.Comparator;

/**
 * A place in a tenant's job listing, newest first: the creation time (to the millisecond, as every store orders it)
 * and the id, which breaks ties. A page after a cursor holds what was after it when the cursor was made, however
 * many jobs came in meanwhile, as new jobs go before it.
 *
 * @param createdMillis the job's {@link OcrJob#submittedAt} in epoch milliseconds
 */
public record JobCursor(long createdMillis, String id) {

    /** The listing's order: newest first, then by id, descending. */
    private static final Comparator<JobCursor> ORDER = Comparator.comparingLong(JobCursor::createdMillis)
            .thenComparing(JobCursor::id);

    /** The listing's order: newest first, then by id, descending. */
    public static final Comparator<OcrJob> NEWEST_FIRST = Comparator.comparing(JobCursor::of, ORDER.reversed());

    public static JobCursor of(OcrJob job) {
        return new JobCursor(job.submittedAt().toEpochMilli(), job.id());
    }

    /** Whether {@code job} comes after this cursor in the listing (is older, or as old with a lower id). */
    public boolean precedes(OcrJob job) {
        return ORDER.compare(of(job), this) < 0;
    }
}
