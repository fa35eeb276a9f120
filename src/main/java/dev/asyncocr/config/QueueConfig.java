package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The AMQP 1.0 broker that carries job messages. */
@ConfigMapping(prefix = "ocr.queue")
public interface QueueConfig {

    /**
     * The external broker, {@code amqp://host:port} or {@code amqps://host:port} (user info allowed).
     * Absent: the service starts an embedded ActiveMQ Artemis on loopback.
     */
    Optional<URI> url();

    /** Overrides the URL's user, e.g. from a secret. */
    Optional<String> username();

    /** Overrides the URL's password, e.g. from a secret. */
    Optional<String> password();

    /**
     * The queue the normal-priority jobs go through; the high and low ones go through this plus {@code .high} and
     * {@code .low}, the dead-letter queue is this plus {@code .dlq}. RabbitMQ 3.x wants {@code /queue/ocr-requests},
     * which declares the queue on first use.
     */
    @WithDefault("ocr-requests")
    String address();

    /**
     * The longest a low-priority job waits behind the other lanes: a worker then takes it ahead of them (the
     * starvation guard).
     */
    @WithDefault("10m")
    Duration maxLowWait();

    /** Jobs that may wait at once; beyond it submissions answer 503 (the autoscaler should act well before). */
    @WithDefault("1000")
    long maxDepth();

    /**
     * How long one job is assumed to take, for queue estimates ({@code estimated_start_at}, {@code Retry-After})
     * until jobs have been measured; a replica that runs the models uses its warm-up inference's time instead.
     */
    @WithDefault("2s")
    Duration serviceTimePrior();

    /** How long a submission waits for the broker to take its message before answering 503. */
    @WithDefault("5s")
    Duration sendTimeout();

    /** The embedded broker's AMQP port on 127.0.0.1; 0 picks a free one. */
    @WithDefault("0")
    int embeddedPort();
}
