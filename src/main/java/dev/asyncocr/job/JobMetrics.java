package dev.asyncocr.job;

/** What the job lifecycle reports for metrics; {@code observability} owns the names. */
public interface JobMetrics {

    /** A job was accepted and queued. */
    void submitted(OcrJob job);

    /** A job reached a final state (succeeded, failed or cancelled) in this replica. */
    void completed(OcrJob job);

    /** A document's page reached its outcome (succeeded or failed) in this replica. */
    void pageCompleted(PageTask page);
}
