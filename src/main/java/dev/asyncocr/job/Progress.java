package dev.asyncocr.job;

import java.util.Collection;

/**
 * How far a document job has come: its page tasks by outcome. Pending pages are queued or running (or,
 * in a cancelled job, never to run).
 */
public record Progress(int succeeded, int failed, int pending) {

    /** The progress of {@code total} pages of which {@code succeeded} and {@code failed} are final. */
    public static Progress of(int total, int succeeded, int failed) {
        return new Progress(succeeded, failed, total - succeeded - failed);
    }

    /** The progress of a document with these page tasks. */
    public static Progress of(Collection<PageTask> pages) {
        int succeeded = (int) pages.stream().filter(p -> p.status() == JobStatus.SUCCEEDED).count();
        int failed = (int) pages.stream().filter(p -> p.status() == JobStatus.FAILED).count();
        return of(pages.size(), succeeded, failed);
    }

    /** Whether every page is final. */
    public boolean done() {
        return pending == 0;
    }

    /** The final status of a document whose pages ended so: all succeeded, all failed, or some of each. */
    public JobStatus outcome() {
        if (failed == 0) {
            return JobStatus.SUCCEEDED;
        }
        return succeeded == 0 ? JobStatus.FAILED : JobStatus.PARTIALLY_SUCCEEDED;
    }
}
