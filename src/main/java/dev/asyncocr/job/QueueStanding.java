package dev.asyncocr.job;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a pending job stands and when it should start and finish, from its place in the queue and the
 * measured {@link ServiceRate}. The queue counts tasks: an image's job is one, a document's page one each.
 *
 * @param position        1-based, among the queued tasks of every replica in the order workers take them (a job's
 *                        first); 0 once it runs
 * @param estimatedStart  when a worker should start it (when it started, once it runs)
 * @param estimatedFinish when it should be done (a document: when its last page should be)
 */
public record QueueStanding(long position, Instant estimatedStart, Instant estimatedFinish) {

    /** The least and the most a client is told to wait before asking again. */
    static final Duration MIN_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /**
     * A queued job whose first task is at {@code position}, with {@code tasks} waiting: the queue advances one place
     * per {@link ServiceRate#interval}, so it starts once {@code position} tasks have completed, and its last task
     * starts {@code tasks - 1} places later.
     */
    static QueueStanding queued(long position, long tasks, ServiceRate rate, Instant now) {
        Instant start = now.plus(rate.interval().multipliedBy(position));
        return new QueueStanding(position, start, lastFinish(start, tasks, rate));
    }

    /**
     * A running job, started at {@code startedAt}; one that overran its estimate should be done any moment. A
     * document with pages still queued ({@code position} above 0) finishes with the last of them.
     */
    static QueueStanding running(Instant startedAt, long position, long tasks, ServiceRate rate, Instant now) {
        Instant finish = position > 0 ? queued(position, tasks, rate, now).estimatedFinish()
                : startedAt.plus(rate.serviceTime());
        return new QueueStanding(0, startedAt, finish.isBefore(now) ? now : finish);
    }

    private static Instant lastFinish(Instant firstStart, long tasks, ServiceRate rate) {
        return firstStart.plus(rate.interval().multipliedBy(Math.max(0, tasks - 1))).plus(rate.serviceTime());
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
