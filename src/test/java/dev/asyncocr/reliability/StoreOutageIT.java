package dev.asyncocr.reliability;

import dev.asyncocr.testing.EventReceiver.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis shut down ({@code shutdown nosave}) for a while in the middle of a load on the packaged service,
 * then started again, as the machine runs it: keeping nothing on disk. What holds, and is checked here:
 * meanwhile, submissions and polls answer 503 {@code STORE_UNAVAILABLE} with {@code Retry-After} at once
 * (never a 500, never a hang), and the workers wait rather than spin; the replica reconnects by itself;
 * every job accepted after Redis is back finishes exactly once with its callback. What cannot hold with a
 * Redis that forgets: the jobs accepted before the outage, finished or not, are gone with it. They answer
 * 404 {@code JOB_NOT_FOUND} afterwards, never a wrong result nor a stuck status; their messages still in
 * the broker are acknowledged without running; the callbacks sent before the outage were sent once each.
 * Redis is restored whatever happens.
 */
class StoreOutageIT extends LoadedReplicas {

    private static final int JOBS = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration WITHIN = Duration.ofMinutes(4);
    /** A refused connection is answered at once; allow for a loaded 2-core machine. */
    private static final Duration SLOWEST_ANSWER = Duration.ofSeconds(8);

    @BeforeEach
    void requireControl() {
        LocalServiceControl.requireControl();
    }

    @AfterEach
    void restore() throws Exception {
        LocalServiceControl.restoreRedis();
    }

    @Test
    void aStoreOutageAnswers503AndJobsAcceptedAfterItFinish() throws Exception {
        Load load = oneReplica();
        long start = System.nanoTime();
        CompletableFuture<Void> clients = load.start(0, JOBS, 16, 12, WITHIN);

        ReplicaKillUnderLoadIT.awaitAccepted(load, 60);
        Outcomes.awaitEventCount(receiver, 20, WITHIN); // jobs finished, their results sent, before the outage
        Instant stoppedWall;
        long backAt;
        int pollDuringOutage;
        String pollCodeDuringOutage;
        try {
            stoppedWall = Instant.now();
            LocalServiceControl.stopRedis();
            Thread.sleep(OUTAGE.toMillis() / 2);
            var poll = given().when().get("/ocr/result/" + load.accepted().values().iterator().next().id());
            pollDuringOutage = poll.statusCode();
            pollCodeDuringOutage = poll.jsonPath().getString("error.code") + ", Retry-After "
                    + poll.header("Retry-After");
            Thread.sleep(OUTAGE.toMillis() / 2);
        } finally {
            LocalServiceControl.restoreRedis();
        }
        backAt = System.nanoTime();
        List<Received> eventsBeforeOutage = receiver.received(r -> r.at().isBefore(stoppedWall));
        clients.get();

        Map<String, LoadImages.Job> before = new HashMap<>();
        Map<String, LoadImages.Job> after = new HashMap<>();
        load.accepted().values().forEach(a -> (a.atNanos() < backAt ? before : after).put(a.id(), a.job()));
        Outcomes.awaitEvents(receiver, after.keySet(), WITHIN);
        Map<String, Outcomes.Final> finals = Outcomes.awaitFinal(load.port(), after.keySet(), WITHIN);
        Outcomes.Figures figures = Outcomes.check(after, finals, receiver.received(r -> after.containsKey(
                r.header("ce-subject"))), List.of(replicas.logFile("replica")), true);

        Map<String, Outcomes.Final> beforeFinals = Outcomes.awaitFinal(load.port(), before.keySet(), Duration.ofSeconds(30));
        Map<Integer, Long> beforeAnswers = beforeFinals.values().stream()
                .collect(Collectors.groupingBy(Outcomes.Final::status, Collectors.counting()));
        Map<String, List<Received>> eventsBefore = Outcomes.eventsByJob(eventsBeforeOutage);
        long twoOutcomes = eventsBefore.values().stream()
                .filter(events -> events.stream().map(r -> r.header("ce-id")).distinct().count() > 1).count();
        System.out.printf("[reliability] store outage of %d s: %d jobs in %.1f s; poll during the outage: %d %s; "
                        + "accepted before it: %d, whose events arrived before it: %d, answers after it: %s; accepted "
                        + "after it: %s; %s%n", OUTAGE.toSeconds(), load.accepted().size(),
                (System.nanoTime() - start) / 1e9, pollDuringOutage, pollCodeDuringOutage, before.size(),
                eventsBefore.size(), beforeAnswers, figures, load.summary());

        assertEquals(JOBS, load.accepted().size(), load.summary());
        assertEquals(List.of(), load.unexpected(), "answers other than 202 or 503 + Retry-After");
        assertTrue(load.unavailable("STORE_UNAVAILABLE") > 0, "no submission met the outage: " + load.summary());
        assertEquals(0, load.timeouts(), load.summary());
        assertTrue(load.slowestAnswer().compareTo(SLOWEST_ANSWER) < 0, load.summary());
        assertEquals(503, pollDuringOutage, pollCodeDuringOutage);
        assertTrue(pollCodeDuringOutage.startsWith("STORE_UNAVAILABLE, Retry-After 5"), pollCodeDuringOutage);
        assertEquals(Set.of(404), beforeAnswers.keySet(), "jobs from before the outage, whose store forgot them");
        assertEquals(0, twoOutcomes, "jobs with two outcomes before the outage");
    }
}
