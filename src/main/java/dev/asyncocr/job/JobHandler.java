package dev.asyncocr.job;

import io.smallrye.mutiny.Uni;

/** What the queue consumer hands each delivered message to: the worker pool. */
public interface JobHandler {

    /**
     * Processes one delivery, off the caller's thread.
     *
     * @return what to do with the message once the outcome is stored
     */
    Uni<JobService.Outcome> handle(JobMessage message);
}
