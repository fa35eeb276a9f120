package dev.asyncocr.reliability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store crashing for a while in the middle of a load on the packaged service, on a Redis that persists:
 * the test runs a Redis of its own ({@link PersistentRedis}: append-only file, fsync at every write), kills
 * it (SIGKILL), and starts it again on the same port and directory, where it reloads its file. The
 * machine's Redis is not touched. What holds, and is checked here: meanwhile, submissions and polls answer
 * 503 {@code STORE_UNAVAILABLE} with {@code Retry-After} at once (never a 500, never a hang), nothing is
 * accepted, and the workers wait rather than spin; the replica reconnects by itself; and every job
 * accepted, before the outage (finished, running or queued then) and after it, finishes exactly once with
 * its own text and its callback delivered: nothing accepted is lost. (On a Redis that keeps nothing on disk,
 * the jobs accepted before the outage would be forgotten instead: 404 afterwards.)
 */
class StoreOutageIT extends LoadedReplicas {

    private static final int JOBS = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration WITHIN = Duration.ofMinutes(4);
    /** A refused connection is answered at once; allow for a loaded 2-core machine. */
    private static final Duration SLOWEST_ANSWER = Duration.ofSeconds(8);
    /** An answer already on its way when Redis was killed may arrive a little after: not "during" it. */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(3);

    private PersistentRedis redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = PersistentRedis.start("async-ocr-store-outage");
    }

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aStoreOutageAnswers503AndEveryAcceptedJobFinishes() throws Exception {
        Load load = oneReplica(Map.of("QUARKUS_REDIS_HOSTS", redis.url()));
        long start = System.nanoTime();
        CompletableFuture<Void> clients = load.start(0, JOBS, 16, 12, WITHIN);

        ReplicaKillUnderLoadIT.awaitAccepted(load, 60);
        Outcomes.awaitEventCount(receiver, 20, WITHIN); // jobs finished, their results sent, before the outage
        int eventsBeforeOutage = receiver.received(r -> true).size();
        redis.crash();
        long stoppedAt = System.nanoTime();
        Thread.sleep(OUTAGE.toMillis() / 2); // the outage lasts OUTAGE whatever happens; a poll midway
        var poll = given().when().get("/ocr/result/" + load.accepted().values().iterator().next().id());
        int pollDuringOutage = poll.statusCode();
        String pollCodeDuringOutage = poll.jsonPath().getString("error.code") + ", Retry-After "
                + poll.header("Retry-After");
        Thread.sleep(OUTAGE.toMillis() / 2);
        long restartAt = System.nanoTime();
        redis.start();
        long backAt = System.nanoTime();
        clients.get();

        Map<String, LoadImages.Job> jobs = new HashMap<>();
        int before = 0;
        int during = 0;
        int after = 0;
        for (Load.Accepted a : load.accepted().values()) {
            jobs.put(a.id(), a.job());
            if (a.atNanos() < stoppedAt + IN_FLIGHT.toNanos()) {
                before++;
            } else if (a.atNanos() < restartAt) {
                during++;
            } else {
                after++;
            }
        }
        Outcomes.awaitEvents(receiver, jobs.keySet(), WITHIN);
        // an event sent while Redis went down, its outcome not stored, is sent again (same CloudEvent id)
        Map<String, Outcomes.Final> finals = Outcomes.awaitDelivered(load.port(), jobs.keySet(), WITHIN);
        System.out.println("[reliability] store outage: " + load.summary());
        Outcomes.Figures figures = Outcomes.check(jobs, finals, receiver.received(r -> true),
                List.of(replicas.logFile("replica")), true);
        System.out.printf("[reliability] store outage of %d s (own Redis, AOF fsync always, killed and restarted "
                        + "in %.1f s): %d jobs in %.1f s; poll during the outage: %d %s; events before it: %d; "
                        + "accepted before it: %d, during it: %d, after it: %d; %s; %s%n", OUTAGE.toSeconds(),
                (backAt - stoppedAt) / 1e9, jobs.size(), (System.nanoTime() - start) / 1e9, pollDuringOutage,
                pollCodeDuringOutage, eventsBeforeOutage, before, during, after, figures, load.summary());

        assertEquals(JOBS, jobs.size(), load.summary());
        assertEquals(List.of(), load.unexpected(), "answers other than 202 or 503 + Retry-After");
        assertTrue(load.unavailable("STORE_UNAVAILABLE") > 0, "no submission met the outage: " + load.summary());
        assertEquals(0, load.timeouts(), load.summary());
        assertTrue(load.slowestAnswer().compareTo(SLOWEST_ANSWER) < 0, load.summary());
        assertEquals(503, pollDuringOutage, pollCodeDuringOutage);
        assertTrue(pollCodeDuringOutage.startsWith("STORE_UNAVAILABLE, Retry-After 5"), pollCodeDuringOutage);
        assertTrue(before > 0 && after > 0, "jobs accepted before the outage: " + before + ", after it: " + after);
        assertEquals(0, during, "jobs accepted while the store was down");
        assertEquals(0, figures.lost(), figures.toString()); // and one outcome each: Outcomes.check
    }
}
