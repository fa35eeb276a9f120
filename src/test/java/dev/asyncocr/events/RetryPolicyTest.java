package dev.asyncocr.events;

import dev.asyncocr.job.Delivery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    private static final Instant FINISHED = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(1);

    private final RetryPolicy longest = policy(0.999999);
    private final RetryPolicy shortest = policy(0.0);

    @Test
    void aSuccessSettlesTheDelivery() {
        Delivery settled = longest.settle(sent(1), SendResult.answered(204, null), FINISHED, FINISHED);
        assertEquals(Delivery.State.DELIVERED, settled.state());
        assertEquals(204, settled.lastStatus());
        assertNull(settled.lastError());
        assertNull(settled.nextAttemptAt());
    }

    @Test
    void serverErrorsThrottlingTimeoutsAndConnectionFailuresAreRetried() {
        for (SendResult result : new SendResult[] {SendResult.answered(500, null), SendResult.answered(503, null),
                SendResult.answered(408, null), SendResult.answered(429, null),
                SendResult.unanswered("could not connect")}) {
            Delivery settled = longest.settle(sent(1), result, FINISHED, FINISHED);
            assertEquals(Delivery.State.PENDING, settled.state(), result.toString());
            assertEquals(result.status(), settled.lastStatus());
            assertEquals(result.error(), settled.lastError());
        }
    }

    @Test
    void otherClientErrorsRedirectsAndRefusedTargetsFailAtOnce() {
        for (SendResult result : new SendResult[] {SendResult.answered(400, null), SendResult.answered(404, null),
                SendResult.answered(410, null), SendResult.answered(302, null),
                SendResult.refused("resolves to 10.0.0.1")}) {
            assertEquals(Delivery.State.FAILED, longest.settle(sent(1), result, FINISHED, FINISHED).state(),
                    result.toString());
        }
    }

    @Test
    void theBackoffDoublesUpToTheCapWithJitterOfAtMostHalf() {
        assertEquals(Duration.ofSeconds(5), longest.backoff(1));
        assertEquals(Duration.ofMillis(2500), shortest.backoff(1));
        assertEquals(Duration.ofSeconds(10), longest.backoff(2));
        assertEquals(Duration.ofSeconds(40), longest.backoff(4));
        assertEquals(Duration.ofMinutes(10), longest.backoff(9), "capped");
        assertEquals(Duration.ofMinutes(5), shortest.backoff(30));
        Delivery settled = longest.settle(sent(3), SendResult.answered(503, null), FINISHED, FINISHED);
        assertEquals(FINISHED.plusSeconds(20), settled.nextAttemptAt());
    }

    @Test
    void aLongerRetryAfterIsHonoured() {
        Delivery settled = longest.settle(sent(1), SendResult.answered(429, Duration.ofSeconds(90)), FINISHED,
                FINISHED);
        assertEquals(FINISHED.plusSeconds(90), settled.nextAttemptAt());
        Delivery shorter = longest.settle(sent(1), SendResult.answered(429, Duration.ofSeconds(1)), FINISHED,
                FINISHED);
        assertEquals(FINISHED.plusSeconds(5), shorter.nextAttemptAt(), "never sooner than the backoff");
    }

    @Test
    void retriesEndAfterTheLastAttemptOrTheWindow() {
        Delivery last = longest.settle(sent(10), SendResult.answered(503, null), FINISHED, FINISHED);
        assertEquals(Delivery.State.FAILED, last.state());
        assertTrue(last.lastError().contains("gave up after 10 attempts"), last.lastError());

        Instant late = FINISHED.plus(WINDOW).minusSeconds(3);
        Delivery pastWindow = longest.settle(sent(1), SendResult.answered(503, null), FINISHED, late);
        assertEquals(Delivery.State.FAILED, pastWindow.state());
        assertTrue(pastWindow.lastError().contains("retry window"), pastWindow.lastError());
        Delivery askedTooLong = longest.settle(sent(1), SendResult.answered(503, Duration.ofHours(2)), FINISHED,
                FINISHED);
        assertEquals(Delivery.State.FAILED, askedTooLong.state());
    }

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(10, WINDOW, Duration.ofSeconds(5), Duration.ofMinutes(10), () -> random);
    }

    /** A delivery claimed for its n-th send. */
    private static Delivery sent(int attempt) {
        Delivery delivery = Delivery.pending(Delivery.Target.CALLBACK, "https://hooks.example.com/", FINISHED);
        for (int i = 0; i < attempt; i++) {
            delivery = delivery.claimed(FINISHED.plusSeconds(40));
        }
        return delivery;
    }
}
