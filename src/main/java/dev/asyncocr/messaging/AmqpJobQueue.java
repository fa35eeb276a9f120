package dev.asyncocr.messaging;

import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.JobQueue;
import dev.asyncocr.job.Lane;
import dev.asyncocr.observability.JobTracing;
import dev.asyncocr.job.QueueUnavailableException;
import io.smallrye.mutiny.TimeoutException;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Queues jobs on the broker, each in its lane's queue of its share (its tenant's own, where it has one), answering only
 * once the broker has taken the message.
 */
@Singleton
public class AmqpJobQueue implements JobQueue {

    private final BrokerClient broker;
    private final JobMessages messages;
    private final Duration sendTimeout;
    private final JobTracing tracing;

    public AmqpJobQueue(BrokerClient broker, JobMessages messages, QueueConfig config, JobTracing tracing) {
        this.broker = broker;
        this.tracing = tracing;
        this.messages = messages;
        this.sendTimeout = config.sendTimeout();
    }

    @Override
    public void enqueue(JobMessage message, Lane lane, String share) {
        if (!broker.isConnected()) {
            throw new QueueUnavailableException("The AMQP broker at " + broker.endpoint() + " is unreachable", false,
                    null);
        }
        try {
            broker.send(messages.requests(lane, share), messages.encode(message, tracing.currentHeaders())).await()
                    .atMost(sendTimeout);
        } catch (TimeoutException e) {
            throw new QueueUnavailableException("The AMQP broker did not take the job within " + sendTimeout, false, e);
        }
    }
}
