package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * A connection that sends nothing for {@code quarkus.http.idle-timeout} is closed: one that stalls before its
 * request has fully arrived (a head never finished, a body that stopped) as much as an idle keep-alive one.
 * <p>
 * This is the bound on unfinished requests: Vert.x has no header-read timeout, and Quarkus gives the
 * application no hook below HTTP (where a request's head is still being read) to add one. Vert.x's idle
 * timer does not know about requests in progress, though: it would cut a long poll or {@code POST /ocr}
 * waiting for its job with nothing to send. So the idle timeout must exceed the longest such wait,
 * {@code ocr.api.sync-timeout}; start-up fails when it does not, rather than cutting every long wait.
 */
@Startup
@ApplicationScoped
public class IdleTimeoutCheck {

    /** Room past the longest wait for answering it: the store read and the response's write. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    public IdleTimeoutCheck(ApiConfig api, @ConfigProperty(name = "quarkus.http.idle-timeout") Duration idleTimeout) {
        check(idleTimeout, api.syncTimeout());
    }

    static void check(Duration idleTimeout, Duration syncTimeout) {
        if (idleTimeout.compareTo(syncTimeout.plus(MARGIN)) < 0) {
            throw new IllegalStateException("quarkus.http.idle-timeout (" + idleTimeout.toMillis()
                    + " ms) must be at least ocr.api.sync-timeout (" + syncTimeout.toMillis() + " ms) plus "
                    + MARGIN.toSeconds() + " s, or long polls and POST /ocr would be cut while they wait");
        }
    }
}
