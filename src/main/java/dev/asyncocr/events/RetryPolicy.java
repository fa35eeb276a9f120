package dev.asyncocr.events;

import dev.asyncocr.job.Delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * What becomes of a delivery after a send: delivered, failed for good, or due again after an exponential
 * backoff with jitter (or the receiver's {@code Retry-After}, when longer), within a number of attempts
 * and a window that starts when the job finished.
 *
 * @param random uniform in [0, 1), for the jitter
 */
record RetryPolicy(int maxAttempts, Duration window, Duration initialBackoff, Duration maxBackoff,
                   DoubleSupplier random) {

    /**
     * @param sent       the delivery as claimed for this send ({@link Delivery#attempts()} counts it)
     * @param finishedAt when the job finished, the start of the retry window
     */
    Delivery settle(Delivery sent, SendResult result, Instant finishedAt, Instant now) {
        if (result.delivered()) {
            return sent.delivered(result.status());
        }
        if (!result.retryable()) {
            return sent.failed(result.status(), result.error());
        }
        if (sent.attempts() >= maxAttempts) {
            return sent.failed(result.status(), result.error() + "; gave up after " + sent.attempts() + " attempts");
        }
        Duration wait = backoff(sent.attempts());
        if (result.retryAfter() != null && result.retryAfter().compareTo(wait) > 0) {
            wait = result.retryAfter();
        }
        Instant next = now.plus(wait);
        if (next.isAfter(finishedAt.plus(window))) {
            return sent.failed(result.status(), result.error() + "; gave up after " + sent.attempts()
                    + " attempts, as the next would fall after the retry window of " + window);
        }
        return sent.retryAt(next, result.status(), result.error());
    }

    /** The wait after the n-th failed attempt: doubling from the initial backoff up to the cap, less up to half. */
    Duration backoff(int attempts) {
        double full = Math.min(initialBackoff.toMillis() * Math.pow(2, attempts - 1), maxBackoff.toMillis());
        return Duration.ofMillis(Math.round(full / 2 + random.getAsDouble() * full / 2));
    }
}
