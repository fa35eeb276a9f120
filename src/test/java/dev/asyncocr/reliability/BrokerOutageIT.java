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
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RabbitMQ stopped ({@code rabbitmqctl stop_app}) for a while in the middle of a load on the packaged
 * service: submissions meanwhile answer 503 {@code BROKER_UNAVAILABLE} with {@code Retry-After}, at once
 * (never a 500, never a hang); the replica reconnects by itself when the broker is back; the jobs accepted
 * before the outage (their messages durable in the broker, or unsettled at the replica) and after it all
 * finish, once each, and their callbacks arrive. RabbitMQ is restored whatever happens.
 */
class BrokerOutageIT extends LoadedReplicas {

    private static final int JOBS = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration WITHIN = Duration.ofMinutes(4);
    /** ocr.queue.send-timeout (5 s) is the longest a submission may wait for the broker; then some margin. */
    private static final Duration SLOWEST_ANSWER = Duration.ofSeconds(15);

    @BeforeEach
    void requireControl() {
        LocalServiceControl.requireControl();
    }

    @AfterEach
    void restore() throws Exception {
        LocalServiceControl.restoreRabbitMq();
    }

    @Test
    void submissionsDuringABrokerOutageAnswer503AndEveryAcceptedJobFinishes() throws Exception {
        Load load = oneReplica();
        long start = System.nanoTime();
        CompletableFuture<Void> clients = load.start(0, JOBS, 16, 12, WITHIN);

        ReplicaKillUnderLoadIT.awaitAccepted(load, 60);
        int readyDuringOutage;
        double reconnectSeconds;
        try {
            LocalServiceControl.stopRabbitMq();
            Thread.sleep(OUTAGE.toMillis() / 2); // the outage lasts OUTAGE whatever happens; readiness read midway
            readyDuringOutage = given().when().get("/q/health/ready").statusCode();
            Thread.sleep(OUTAGE.toMillis() / 2);
        } finally {
            LocalServiceControl.startRabbitMq();
        }
        long back = System.nanoTime();
        await("the replica ready again (reconnected)").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().when().get("/q/health/ready").statusCode(), status -> status == 200);
        reconnectSeconds = (System.nanoTime() - back) / 1e9;
        clients.get();

        Map<String, LoadImages.Job> jobs = new HashMap<>();
        load.accepted().values().forEach(a -> jobs.put(a.id(), a.job()));
        Outcomes.awaitEvents(receiver, jobs.keySet(), WITHIN);
        // a delivery is recorded after its receiver answered: wait for the record, not only the event
        Map<String, Outcomes.Final> finals = Outcomes.awaitDelivered(load.port(), jobs.keySet(), WITHIN);
        Outcomes.Figures figures = Outcomes.check(jobs, finals, receiver.received(r -> true),
                List.of(replicas.logFile("replica")), true);
        System.out.printf("[reliability] broker outage of %d s: %d jobs in %.1f s; ready during the outage: %d, "
                        + "reconnected %.1f s after the broker was back; %s; %s%n", OUTAGE.toSeconds(), jobs.size(),
                (System.nanoTime() - start) / 1e9, readyDuringOutage, reconnectSeconds, load.summary(), figures);

        assertEquals(JOBS, jobs.size(), load.summary());
        assertEquals(List.of(), load.unexpected(), "answers other than 202 or 503 + Retry-After");
        assertTrue(load.unavailable("BROKER_UNAVAILABLE") > 0, "no submission met the outage: " + load.summary());
        assertEquals(0, load.timeouts(), load.summary());
        assertTrue(load.slowestAnswer().compareTo(SLOWEST_ANSWER) < 0, load.summary());
        assertEquals(503, readyDuringOutage, "readiness during the outage");
    }
}
