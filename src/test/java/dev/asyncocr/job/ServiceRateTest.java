package dev.asyncocr.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The smoothing of the service rate that every store applies. */
class ServiceRateTest {

    private static final Instant T0 = Instant.parse("2026-12-03T17:00:00Z");

    @Test
    void theFirstJobIsTheWholeMeasure() {
        ServiceRate first = ServiceRate.next(null, T0, Duration.ofMillis(400));
        assertEquals(new ServiceRate(Duration.ofMillis(400), Duration.ofMillis(400), T0), first);
        assertEquals(first, ServiceRate.next(ServiceRate.assumed(Duration.ofSeconds(2)), T0, Duration.ofMillis(400)),
                "an assumed rate is no measure");
    }

    @Test
    void busyWorkersCompletingTogetherShortenTheInterval() {
        ServiceRate rate = ServiceRate.next(null, T0, Duration.ofMillis(400));
        // three workers, each job 400 ms: completions about 133 ms apart
        for (int i = 1; i <= 60; i++) {
            rate = ServiceRate.next(rate, T0.plusMillis(133L * i), Duration.ofMillis(400));
        }
        assertEquals(400, rate.serviceTime().toMillis());
        assertEquals(133, rate.interval().toMillis(), 1);
    }

    @Test
    void anIdleGapCountsAsOneJobNotAsSlowness() {
        ServiceRate rate = ServiceRate.next(null, T0, Duration.ofMillis(400));
        ServiceRate afterAnHour = ServiceRate.next(rate, T0.plus(Duration.ofHours(1)), Duration.ofMillis(400));
        assertEquals(Duration.ofMillis(400), afterAnHour.interval());
        ServiceRate clockBehind = ServiceRate.next(rate, T0.minusSeconds(1), Duration.ofMillis(400));
        assertEquals(Duration.ofMillis(320), clockBehind.interval(), "a replica's clock behind: a gap of 0");
        assertEquals(T0, clockBehind.lastCompletion());
    }

    @Test
    void theStoredFormReadsBackTheSame() {
        ServiceRate rate = new ServiceRate(Duration.ofNanos(133_333_333), Duration.ofMillis(401), T0.plusMillis(7));
        assertEquals(rate, ServiceRate.decode(rate.encode()));
        assertNull(ServiceRate.decode(null));
    }
}
