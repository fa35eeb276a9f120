package dev.asyncocr.reliability;

import dev.asyncocr.testing.ServiceReplicas;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service on RabbitMQ and Redis, killed (SIGKILL: no shutdown hook, nothing settled) in the
 * middle of a load, and started again: the jobs it was running are delivered again and finish on the new
 * process, the queued ones run, the callbacks it owed go out, and clients that resubmit with their
 * idempotency key after a lost answer get the same job. None is lost and none has two outcomes.
 */
class ReplicaKillUnderLoadIT extends LoadedReplicas {

    private static final int JOBS = 300;
    private static final int BURST = 100;
    private static final Duration WITHIN = Duration.ofMinutes(4);

    /** The replica that took over after the kill, and every accepted job's final state, its delivery recorded. */
    record Restarted(Process replica, Map<String, Outcomes.Final> finals) {
    }

    @Test
    void jobsInFlightWhenTheProcessIsKilledFinishOnceAfterTheRestart() throws Exception {
        killMidLoadAndRestart(ServiceReplicas.freePort());
    }

    /** The stored status of each job, read straight from the store while no replica runs; absent ones left out. */
    Map<String, String> storedStatuses(List<String> ids) throws Exception {
        return Settings.storedStatuses(replicas.keyPrefix(), ids);
    }

    /** Kills the replica on {@code port} in the middle of a load, starts another, and checks every job's fate. */
    Restarted killMidLoadAndRestart(int port) throws Exception {
        Process first = replicas.start(port, "first", Settings.replica(2));
        Load load = new Load(() -> port, receiver.url("/hook"));
        long start = System.nanoTime();
        // a burst that queues up beside a steady stream: the kill finds jobs queued and clients still sending
        CompletableFuture<Void> clients = CompletableFuture.allOf(load.start(0, BURST, 8, 0, WITHIN),
                load.start(BURST, JOBS - BURST, 8, 15, WITHIN));

        awaitAccepted(load, 80);
        awaitJobsRunning(load);
        ServiceReplicas.kill(first);
        long killedAt = System.nanoTime();
        List<String> acceptedBeforeKill = load.accepted().values().stream().map(Load.Accepted::id).toList();
        Map<String, String> atKill = storedStatuses(acceptedBeforeKill);
        List<String> running = atKill.entrySet().stream().filter(e -> e.getValue().equals("PROCESSING"))
                .map(Map.Entry::getKey).toList();
        long queued = atKill.values().stream().filter("QUEUED"::equals).count();

        Process second = replicas.start(port, "second", Settings.replica(2));
        double downSeconds = (System.nanoTime() - killedAt) / 1e9;
        clients.get();
        Map<String, LoadImages.Job> jobs = new HashMap<>();
        load.accepted().values().forEach(a -> jobs.put(a.id(), a.job()));
        Outcomes.awaitEvents(receiver, jobs.keySet(), WITHIN);
        // a delivery is recorded after its receiver answered: wait for the record, not only the event
        Map<String, Outcomes.Final> finals = Outcomes.awaitDelivered(port, jobs.keySet(), WITHIN);
        Outcomes.Figures figures = Outcomes.check(jobs, finals, receiver.received(r -> true),
                List.of(replicas.logFile("first"), replicas.logFile("second")), false);
        Map<String, List<Integer>> finishes = Outcomes.finishes(List.of(replicas.logFile("second")));
        List<String> runningNotRerun = new ArrayList<>(running.stream()
                .filter(id -> !finishes.getOrDefault(id, List.of()).equals(List.of(2))).toList());
        System.out.printf("[reliability] kill: %d jobs in %.1f s; killed with %d running and %d queued, down %.1f s; "
                        + "%s; %s%n", jobs.size(), (System.nanoTime() - start) / 1e9, running.size(), queued,
                downSeconds, load.summary(), figures);

        assertEquals(JOBS, jobs.size(), load.summary());
        assertEquals(List.of(), load.unexpected());
        assertTrue(running.size() >= 1, "no job was running at the kill: " + atKill.values().stream()
                .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
        assertEquals(List.of(), runningNotRerun, "jobs running at the kill that were not finished by their second "
                + "attempt on the new process");
        return new Restarted(second, finals);
    }

    static void awaitAccepted(Load load, int count) throws InterruptedException {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertTrue(
                load.accepted().size() >= count, () -> "fewer than " + count + " jobs accepted: " + load.summary()));
    }

    /**
     * Until the store shows one of the load's longer jobs (a page to detect on: hundreds of milliseconds, where a line
     * takes tens) PROCESSING, reading those jobs only, so that the kill follows within milliseconds and interrupts it:
     * a kill between two lines' jobs, after a read of every job's status, interrupted nothing, once on CI.
     */
    private void awaitJobsRunning(Load load) {
        await("a page PROCESSING in the store").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> storedStatuses(load.accepted().values().stream().filter(a -> a.job().detects())
                        .map(Load.Accepted::id).toList()).containsValue("PROCESSING"));
    }
}
