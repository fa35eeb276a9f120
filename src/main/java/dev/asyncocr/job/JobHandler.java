package dev.asyncocr.job;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What the queue consumer hands each delivered message to: the worker pool. */
public interface JobHandler {

    /**
     * Processes one delivery, off the caller's thread (it has started when this returns).
     *
     * @param headers the message's headers (AMQP application properties), where the trace context travels
     * @return what to do with the message once the outcome is stored
     */
    CompletionStage<JobService.Outcome> handle(JobMessage message, Map<String, ?> headers);
}
