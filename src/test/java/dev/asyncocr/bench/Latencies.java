package dev.asyncocr.bench;

import dev.asyncocr.eval.Benchmark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Milliseconds of a row's calls and the wall time they took together: images/s and percentiles. */
final class Latencies {

    private final double[] millis;
    private int count;

    Latencies(int capacity) {
        millis = new double[capacity];
    }

    synchronized void add(double ms) {
        millis[count++] = ms;
    }

    synchronized double percentile(double p) {
        double[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : Benchmark.percentile(sorted, p);
    }

    /** {@code images_per_s} and p50/p95/p99 milliseconds, over a run that took {@code seconds}. */
    synchronized Map<String, Object> summary(double seconds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("images", count);
        row.put("images_per_s", round(count / seconds));
        row.put("p50_ms", round(percentile(0.50)));
        row.put("p95_ms", round(percentile(0.95)));
        row.put("p99_ms", round(percentile(0.99)));
        return row;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
