package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Completion events: where they go, how they are signed and how hard we try to deliver them. */
@ConfigMapping(prefix = "ocr.callback")
public interface CallbackConfig {

    /**
     * Secrets that sign every event, written {@code whsec_<base64>}; several (comma-separated) during a
     * rotation, one signature each. Absent: events go unsigned (a warning at start-up says so).
     */
    Optional<List<String>> signingSecrets();

    /** The events' {@code source} attribute. */
    @WithDefault("/async-ocr")
    URI source();

    /** Where every completion event also goes; defaults to {@code K_SINK}, set by a Knative SinkBinding. */
    Optional<URI> sink();

    /**
     * Attributes added to every event, as Knative's {@code K_CE_OVERRIDES} writes them:
     * {@code {"extensions":{"name":"value"}}}; defaults to that variable.
     */
    Optional<String> ceOverrides();

    /** Deliver to callback hosts on loopback, private, link-local or metadata addresses (tests, trusted networks). */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** How long one send may take, connecting included, before it counts as failed. */
    @WithDefault("10s")
    Duration timeout();

    /** Sends of one event before it is given up. */
    @WithDefault("10")
    int maxAttempts();

    /** How long after the job finished retries may go on (capped by {@code ocr.store.result-ttl}). */
    @WithDefault("1h")
    Duration retryWindow();

    /** The wait before the first retry; it doubles for each further one, with jitter. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** The longest wait between two sends, unless the receiver's {@code Retry-After} asks for longer. */
    @WithDefault("10m")
    Duration maxBackoff();

    /** How often each replica looks in the store for deliveries due (finished elsewhere, or retrying). */
    @WithDefault("1s")
    Duration pollInterval();
}
