package dev.asyncocr.reliability;

import dev.asyncocr.testing.PrometheusScrape;
import dev.asyncocr.testing.ServiceReplicas;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Soak on the packaged service with RabbitMQ and Redis: 2,000 mixed small jobs ({@link LoadImages}) from 64
 * clients at once, each with a callback to a local receiver, in two halves of 1,000. Every accepted job
 * finishes exactly once and its event arrives; and the replica's threads, open sockets and heap after a full
 * collection, read after each half once it has drained, do not grow from the first half to the second.
 */
class SoakIT extends LoadedReplicas {

    private static final int HALF = 1000;
    private static final int CLIENTS = 64;
    private static final Duration HALF_WITHIN = Duration.ofMinutes(6);
    /** Room for pools that size themselves to the load (the HTTP worker pool keeps idle threads a while). */
    private static final int THREAD_SLACK = 16;
    private static final int SOCKET_SLACK = 8;
    private static final double HEAP_SLACK_MIB = 48;
    /** Quarkus's executor lets idle threads go after {@code quarkus.thread-pool.keep-alive-time}, 30 s. */
    private static final Duration POOLS_SETTLE = Duration.ofSeconds(90);

    @Test
    void twoThousandJobsFinishOnceEachAndNothingGrows() throws Exception {
        int port = ServiceReplicas.freePort();
        Process replica = replicas.start(port, "soak", Settings.replica(2));
        ProcessProbe started = ProcessProbe.of(replica.pid());
        Load load = new Load(() -> port, receiver.url("/hook"));

        long start = System.nanoTime();
        Map<String, LoadImages.Job> jobs = new HashMap<>();
        ProcessProbe[] afterHalf = new ProcessProbe[2];
        for (int half = 0; half < 2; half++) {
            load.run(half * HALF, HALF, CLIENTS, 0, HALF_WITHIN);
            System.out.printf("[reliability] soak half %d submitted after %.1f s: %s %s%n", half + 1,
                    (System.nanoTime() - start) / 1e9, load.summary(), load.unexpected());
            Map<String, LoadImages.Job> accepted = new HashMap<>();
            load.accepted().values().forEach(a -> accepted.put(a.id(), a.job()));
            if (!Outcomes.awaitEvents(receiver, accepted.keySet(), HALF_WITHIN)) {
                Set<String> about = Outcomes.eventsByJob(receiver.received(r -> true)).keySet();
                List<String> missing = accepted.keySet().stream().filter(id -> !about.contains(id)).toList();
                fail(missing.size() + " jobs without an event after half " + (half + 1) + ", e.g. "
                        + Outcomes.awaitFinal(port, missing.subList(0, Math.min(5, missing.size())), Duration.ofSeconds(1))
                        + "; " + load.summary());
            }
            jobs = accepted;
            // drained: each event's send settled (counted as delivered) and no job running
            await("the replica drained").atMost(HALF_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                PrometheusScrape metrics = PrometheusScrape.now();
                assertTrue(metrics.value("ocr_callback_deliveries_total", "outcome=delivered") >= accepted.size()
                        && metrics.value("ocr_jobs_in_flight") == 0, () -> "not drained: " + metrics.value(
                        "ocr_callback_deliveries_total", "outcome=delivered") + " of " + accepted.size()
                        + " events delivered, " + metrics.value("ocr_jobs_in_flight") + " jobs running");
            });
            afterHalf[half] = ProcessProbe.of(replica.pid());
            System.out.printf("[reliability] soak half %d done after %.1f s: %s; %s%n", half + 1,
                    (System.nanoTime() - start) / 1e9, load.summary(), afterHalf[half]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Outcomes.Final> finals = Outcomes.awaitFinal(port, jobs.keySet(), Duration.ofMinutes(2));
        Outcomes.Figures figures = Outcomes.check(jobs, finals, receiver.received(r -> true),
                List.of(replicas.logFile("soak")), true);
        System.out.printf("[reliability] soak: %d jobs from %d clients in %.1f s (%.1f jobs/s); %s; started %s, "
                        + "after 1,000 %s, after 2,000 %s%n", jobs.size(), CLIENTS, seconds, jobs.size() / seconds,
                load.summary(), started, afterHalf[0], afterHalf[1]);

        assertEquals(2 * HALF, jobs.size(), load.summary());
        assertEquals(List.of(), load.unexpected());
        assertEquals(0, load.timeouts(), load.summary());
        assertEquals(0, load.connectionErrors(), load.summary());
        assertEquals(2 * HALF, figures.succeeded() + figures.failed());
        // Pools that size themselves to the load (the HTTP worker pool keeps idle threads for its keep-alive
        // time) shrink back on their own: a leak never does, so the bound is awaited, not read once.
        ProcessProbe first = afterHalf[0];
        ProcessProbe[] second = {afterHalf[1]};
        await("the replica back within its first half's threads, sockets and heap").atMost(POOLS_SETTLE)
                .pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
                    second[0] = ProcessProbe.of(replica.pid());
                    assertTrue(second[0].threads() <= first.threads() + THREAD_SLACK,
                            "threads grew: " + first + " -> " + second[0]);
                    assertTrue(first.sockets() < 0 || second[0].sockets() <= first.sockets() + SOCKET_SLACK,
                            "sockets grew: " + first + " -> " + second[0]);
                    assertTrue(second[0].heapMiB() <= first.heapMiB() * 1.25 + HEAP_SLACK_MIB,
                            "heap grew: " + first + " -> " + second[0]);
                });
        System.out.printf("[reliability] soak settled: %s%n", second[0]);
    }
}
