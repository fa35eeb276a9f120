package dev.asyncocr.job;

import java.util.Locale;

/**
 * Where a job (or a document's page task) is in its life: queued, then processing, then one of the final
 * states. {@code PARTIALLY_SUCCEEDED} is a document's only: some of its pages succeeded, some failed;
 * {@code expired} when its deadline passed before a worker started it.
 */
public enum JobStatus {
    QUEUED, PROCESSING, SUCCEEDED, FAILED, CANCELLED, PARTIALLY_SUCCEEDED, EXPIRED;

    /** Whether the job will not change any more. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == PARTIALLY_SUCCEEDED
                || this == EXPIRED;
    }

    /** The name on the wire: {@code queued}, {@code processing}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
