package dev.asyncocr.job;

import java.util.Locale;

/** Where a job is in its life: queued, then processing, then one of the three final states. */
public enum JobStatus {
    QUEUED, PROCESSING, SUCCEEDED, FAILED, CANCELLED;

    /** Whether the job will not change any more. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The name on the wire: {@code queued}, {@code processing}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
