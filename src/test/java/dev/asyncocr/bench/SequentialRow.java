package dev.asyncocr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row run in its own JVM, so that its memory is its own: every image once to warm up, then
 * {@code rounds} passes one image at a time. Prints one line, {@code ROW <json>}, for the benchmark.
 */
final class SequentialRow {

    static final String PREFIX = "ROW ";

    private SequentialRow() {
    }

    /** What a row reads images with. */
    interface Reader {
        void read(byte[] image);

        /** The warm-up is over: the timed passes start. */
        default void timingStarts() {
        }

        /** What the row adds after the run, such as how its time divided. */
        default Map<String, Object> details() {
            return Map.of();
        }
    }

    static void run(List<byte[]> images, int rounds, Reader reader) throws Exception {
        images.forEach(reader::read);
        Map<String, Object> afterWarmUp = ProcessStats.memoryOfThisJvm();
        reader.timingStarts();
        Latencies latencies = new Latencies(images.size() * rounds);
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (byte[] image : images) {
                long t = System.nanoTime();
                reader.read(image);
                latencies.add((System.nanoTime() - t) / 1e6);
            }
        }
        Map<String, Object> row = new LinkedHashMap<>(latencies.summary((System.nanoTime() - start) / 1e9));
        row.putAll(reader.details());
        row.put("memory", Map.of("after_warm_up", afterWarmUp, "after_run", ProcessStats.memoryOfThisJvm()));
        System.out.println(); // on a line of its own, whatever native code printed before
        System.out.println(PREFIX + new ObjectMapper().writeValueAsString(row));
    }
}
