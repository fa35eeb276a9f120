package dev.asyncocr.job;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a pending job stands and when it should start and finish, from its place in the queue and the
 * measured {@link ServiceRate}.
 *
 * @param position        1-based, among the queued jobs of every replica in the order workers take them; 0 once
 *                        it runs
 * @param estimatedStart  when a worker should start it (when it started, once it runs)
 * @param estimatedFinish when it should be done
 */
public record QueueStanding(long position, Instant estimatedStart, Instant estimatedFinish) {

    /** The least and the most a client is told to wait before asking again. */
    static final Duration MIN_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /**
     * A queued job at {@code position}: the queue advances one place per {@link ServiceRate#interval}, so it
     * starts once {@code position} jobs have completed.
     */
    static QueueStanding queued(long position, ServiceRate rate, Instant now) {
        Instant start = now.plus(rate.interval().multipliedBy(position));
        return new QueueStanding(position, start, start.plus(rate.serviceTime()));
    }

    /** A running job, started at {@code startedAt}; one that overran its estimate should be done any moment. */
    static QueueStanding running(Instant startedAt, ServiceRate rate, Instant now) {
        Instant finish = startedAt.plus(rate.serviceTime());
        return new QueueStanding(0, startedAt, finish.isBefore(now) ? now : finish);
    }

    /** Whole seconds until the next change worth polling for (the start, or the finish once it runs), 1 to 30. */
    public long retryAfterSeconds(Instant now) {
        Duration until = Duration.between(now, position > 0 ? estimatedStart : estimatedFinish);
        return retryAfter(until);
    }

    /** {@code until}, rounded up to whole seconds and bounded to 1 to 30. */
    public static long retryAfter(Duration until) {
        long seconds = (until.toMillis() + 999) / 1000;
        return Math.max(MIN_RETRY.toSeconds(), Math.min(MAX_RETRY.toSeconds(), seconds));
    }
}
