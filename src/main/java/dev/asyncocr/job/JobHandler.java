package dev.asyncocr.job;

import io.smallrye.mutiny.Uni;

import java.util.Map;

/** What the queue consumer hands each delivered message to: the worker pool. */
public interface JobHandler {

    /**
     * Processes one delivery, off the caller's thread.
     *
     * @param headers the message's headers (AMQP application properties), where the trace context travels
     * @return what to do with the message once the outcome is stored
     */
    Uni<JobService.Outcome> handle(JobMessage message, Map<String, ?> headers);
}
