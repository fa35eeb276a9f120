package dev.asyncocr.job;

/** The broker side of the claim check: carries job ids to the workers, never images. */
public interface JobQueue {

    /**
     * Hands the message to the broker, in the job's lane, and returns once the broker has taken it.
     *
     * @param share the job's {@link Schedule#share()}: the tenant whose own queues it waits in; null for the shared
     * @throws QueueUnavailableException when the broker cannot take it in time
     */
    void enqueue(JobMessage message, Lane lane, String share);
}
