package dev.asyncocr.api;

import dev.asyncocr.job.OcrJob;
import dev.asyncocr.messaging.EmbeddedBroker;
import dev.asyncocr.testing.ControlledWorkerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job flow on the embedded defaults: in-process Artemis and the in-memory store. */
@QuarkusTest
@TestProfile(ControlledWorkerProfile.class)
class EmbeddedAsyncJobFlowTest extends AsyncJobFlowContract {

    @Inject
    Optional<EmbeddedBroker> embedded;
    @Inject
    Vertx vertx;

    @Test
    void aBrokerThatIsDownAnswers503AtOnceAndTheServiceRecoversWhenItIsBack() throws Exception {
        EmbeddedBroker broker = embedded.orElseThrow();
        byte[] image = TestImages.text("BROKER BACK").bytes();
        broker.stop();
        try {
            long start = System.nanoTime();
            assertJobError(given().contentType("image/png").body(image).when().post("/ocr/async").then(),
                    503, "BROKER_UNAVAILABLE", null).header("Retry-After", "5");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 6_000, "the refusal took " + millis + " ms");
            awaitCheck("/q/health/ready", "broker", "DOWN");
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'store' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'models' }.status", equalTo("UP"));
        } finally {
            broker.start();
        }
        awaitCheck("/q/health/ready", "broker", "UP");
        Response accepted = await("a submission accepted after the broker came back").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Response answer = given().contentType("image/png").body(image).when().post("/ocr/async");
                    if (answer.statusCode() != 202) { // refused as the broker's, nothing else
                        assertJobError(answer.then(), 503, "BROKER_UNAVAILABLE", null);
                    }
                    return answer;
                }, answer -> answer.statusCode() == 202);
        awaitFinal(accepted.path("request_id")).statusCode(200);
    }

    @Test
    void anInferenceRunningPastTheStuckTimeoutFailsLivenessUntilItEnds() throws Exception {
        String id = submitHeld("STUCK");
        try {
            given().when().get("/q/health/live").then().statusCode(200);
            awaitCheck("/q/health/live", "workers", "DOWN");
            given().when().get("/q/health/live").then().statusCode(503)
                    .body("checks.find { it.name == 'workers' }.data.longest_running_job", equalTo(id));
        } finally {
            recognizer.releaseAll();
        }
        awaitFinal(id).statusCode(200);
        awaitCheck("/q/health/live", "workers", "UP");
    }

    @Test
    void longPollsHoldNoThreadWhileTheyWait() throws Exception {
        String id = submitHeld("LONG POLLED");
        int polls = 3 * ControlledWorkerProfile.WORKER_THREADS;
        ExecutorService clients = Executors.newFixedThreadPool(polls);
        try {
            List<Future<Integer>> waiting = new ArrayList<>();
            String longPoll = "/ocr/result/" + id + "?wait=" + ControlledWorkerProfile.SYNC_TIMEOUT.toSeconds();
            for (int i = 0; i < polls; i++) {
                waiting.add(clients.submit(() -> given().when().get(longPoll).statusCode()));
            }
            // every poll reaches the service and waits there, holding no thread
            await().atMost(Duration.ofSeconds(30)).until(waiter::waiting, n -> n == polls);
            // a blocking request still finds a thread: with a thread per waiting poll it would queue behind them
            submit(TestImages.page("MEANWHILE").bytes());
            assertTrue(waiting.stream().noneMatch(Future::isDone), "a long poll answered before its job finished");
            recognizer.releaseAll();
            for (Future<Integer> poll : waiting) {
                assertEquals(200, poll.get(30, TimeUnit.SECONDS));
            }
        } finally {
            recognizer.releaseAll();
            clients.shutdownNow();
        }
    }

    @Test
    void aWaitWithinAMillisecondOfItsDeadlineAnswersTheJobAsItIs() throws Exception {
        String id = submitHeld("ALMOST DUE");
        try {
            // on a request's thread Mutiny's timers are Vert.x timers, which refuse a delay under 1 ms: a sync
            // call or long poll that came this close to its deadline once answered 500
            for (int i = 0; i < 20; i++) {
                OcrJob job = vertx.executeBlocking(() -> waiter.awaitFinal(id, Duration.ofNanos(900_000))
                                .await().atMost(Duration.ofSeconds(5)).orElseThrow())
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertFalse(job.status().isFinal(), job.toString());
            }
        } finally {
            recognizer.releaseAll();
        }
        awaitFinal(id).statusCode(200);
    }

    /** Polls the health endpoint until the named check has the status (30 s at most). */
    static void awaitCheck(String endpoint, String check, String status) {
        await(check + " " + status + " at " + endpoint).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> given().when().get(endpoint).asString(),
                        health -> status.equals(JsonPath.from(health).get("checks.find { it.name == '" + check + "' }.status")));
    }
}
