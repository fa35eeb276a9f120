package dev.asyncocr.job;

import java.time.Duration;
import java.time.Instant;

/**
 * How fast the workers of every replica together get through tasks (an image's job, a document's page), smoothed
 * over the last tasks (an exponentially weighted mean, the newest weighing {@value #SMOOTHING}) and kept in the
 * store, so that every replica estimates from the same measure.
 *
 * @param interval       the mean time between two completions while the workers are busy: the queue advances
 *                       one place per interval
 * @param serviceTime    the mean time a worker spends on one task
 * @param lastCompletion when the last task completed, or null before any
 */
public record ServiceRate(Duration interval, Duration serviceTime, Instant lastCompletion) {

    static final double SMOOTHING = 0.2;

    /** What is assumed before any task completed: one task at a time, each taking {@code serviceTime}. */
    public static ServiceRate assumed(Duration serviceTime) {
        return new ServiceRate(serviceTime, serviceTime, null);
    }

    /**
     * {@code previous} (null before the first measurement) with one more task, which completed at {@code at}
     * after running for {@code ran}. A gap between completions longer than a task's run means the workers
     * were idle, not slow: it counts as one task's run.
     */
    public static ServiceRate next(ServiceRate previous, Instant at, Duration ran) {
        if (previous == null || previous.lastCompletion() == null) {
            return new ServiceRate(ran, ran, at);
        }
        Duration served = smooth(previous.serviceTime(), ran);
        Duration gap = Duration.between(previous.lastCompletion(), at);
        gap = gap.isNegative() ? Duration.ZERO : gap.compareTo(served) > 0 ? served : gap; // negative: replicas' clocks
        Instant last = at.isAfter(previous.lastCompletion()) ? at : previous.lastCompletion();
        return new ServiceRate(smooth(previous.interval(), gap), served, last);
    }

    /** As stores keep it: {@code <interval ns> <service time ns> <last completion ms>}. */
    public String encode() {
        return interval.toNanos() + " " + serviceTime.toNanos() + " " + lastCompletion.toEpochMilli();
    }

    /** The rate {@link #encode} wrote, or null for null (nothing measured yet). */
    public static ServiceRate decode(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(" ");
        return new ServiceRate(Duration.ofNanos(Long.parseLong(parts[0])), Duration.ofNanos(Long.parseLong(parts[1])),
                Instant.ofEpochMilli(Long.parseLong(parts[2])));
    }

    private static Duration smooth(Duration mean, Duration sample) {
        return Duration.ofNanos(Math.round(SMOOTHING * sample.toNanos() + (1 - SMOOTHING) * mean.toNanos()));
    }
}
