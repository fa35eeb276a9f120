package dev.asyncocr.api;

import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.Lane;
import dev.asyncocr.messaging.BrokerClient;
import dev.asyncocr.messaging.JobMessages;
import dev.asyncocr.testing.AmqpTestClient;
import dev.asyncocr.testing.ControlledWorkerProfile;
import dev.asyncocr.testing.TestDocuments;
import dev.asyncocr.worker.ControlledRecognizer;
import dev.asyncocr.worker.ProbedModels;
import dev.asyncocr.worker.WorkerPool;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.message.Message;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous job flow over HTTP, through a real broker, store and pipeline; run once per setup
 * (embedded Artemis + in-memory store, RabbitMQ + Redis).
 */
abstract class AsyncJobFlowContract {

    private static final Duration FINISH_WITHIN = Duration.ofSeconds(90);
    /** Recognition only, the whole image one line: a few milliseconds for a {@link TestImages#text} line. */
    private static final String QUICK = "?det=false&cls=false";

    @Inject
    ControlledRecognizer recognizer;
    @Inject
    ProbedModels probe;
    @Inject
    JobStore store;
    @Inject
    WorkerPool pool;
    @Inject
    BrokerClient broker;
    @Inject
    JobWaiter waiter;
    @Inject
    JobMessages messages;
    /** Ids of the jobs that {@link #holdEveryWorker()} submitted, in order. */
    private final List<String> submittedIds = new ArrayList<>();

    @AfterEach
    void drain() {
        recognizer.reset();
        await().atMost(FINISH_WITHIN).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertTrue(
                store.queuedCount() == 0 && pool.inFlight() == 0,
                () -> "the queue did not drain: " + store.queuedCount() + " queued, " + pool.inFlight() + " running"));
    }

    @Test
    void submittedJobIsPolledToItsResult() throws Exception {
        byte[] image = TestImages.page("HELLO ASYNC 42").bytes();
        ExtractableResponse<Response> submitted = given().contentType("image/png").body(image)
                .when().post("/ocr/async").then().statusCode(202).extract();
        String id = submitted.path("request_id");
        assertEquals("submitted", submitted.path("status"));
        assertTrue(submitted.header("Location").endsWith("/ocr/result/" + id), submitted.header("Location"));

        JsonPath result = awaitFinal(id).statusCode(200).extract().jsonPath();
        assertEquals(id, result.getString("request_id"));
        assertEquals("succeeded", result.getString("status"));
        assertEquals("HELLOASYNC42", result.getString("text").replace(" ", ""));
        assertNotNull(result.getString("submitted_at"));
        assertNotNull(result.getString("finished_at"));
        assertTrue(result.getDouble("timings_ms.queue") >= 0, () -> result.prettify());
        assertTrue(result.getDouble("timings_ms.total") > 0, () -> result.prettify());
        assertEquals(1, recognizer.runs(image));

        byte[] pdf = given().get("/ocr/result/" + id + "?format=pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertEquals(result.getString("text"), new PDFTextStripper().getText(document).strip());
            assertEquals(1, document.getPage(0).getResources().getCOSObject().getCOSDictionary(COSName.XOBJECT).size(),
                    "the store kept the image with the result");
        }
    }

    @Test
    void twoHundredConcurrentSubmissionsAllFinishExactlyOnceWithinTheConcurrencyBound() throws Exception {
        List<TestImages.Png> images = IntStream.range(0, 200).mapToObj(i -> TestImages.text("JOB " + (1000 + i)))
                .toList();
        probe.reset();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (TestImages.Png image : images) {
                ids.add(clients.submit(() -> submit(image.bytes(), QUICK)));
            }
            for (int i = 0; i < images.size(); i++) {
                JsonPath result = awaitFinal(ids.get(i).get()).statusCode(200).extract().jsonPath();
                assertEquals("JOB" + (1000 + i), result.getString("text").replace(" ", ""), result.prettify());
                assertEquals(1, recognizer.runs(images.get(i).bytes()), "runs of job " + i);
            }
        } finally {
            clients.shutdownNow();
        }
        int most = probe.mostAtOnce();
        assertTrue(most <= ControlledWorkerProfile.CONCURRENCY, "inferences at once: " + most);
        assertTrue(most >= 2, "the pool never ran two inferences at once: " + most);
    }

    @Test
    void aLongPollWaitsForTheResultWithinItsBound() throws Exception {
        holdEveryWorker();
        String id = submittedIds.get(0);
        long start = System.nanoTime();
        given().when().get("/ocr/result/" + id + "?wait=1").then().statusCode(202).body("status", equalTo("processing"));
        assertTrue(System.nanoTime() - start >= 900_000_000L, "a long poll of 1 s answered early");

        CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> { // long polls until it is final
            int status;
            do {
                status = given().when().get("/ocr/result/" + id + "?wait=30").then().extract().statusCode();
            } while (status == 202);
            return status;
        });
        await("the long poll waiting at the service").atMost(Duration.ofSeconds(30)).until(waiter::waiting, n -> n == 1);
        assertFalse(polled.isDone(), "the long poll answered before the job finished");
        recognizer.releaseAll();
        assertEquals(200, polled.get(FINISH_WITHIN.toSeconds(), TimeUnit.SECONDS));

        for (String wait : List.of("-1", "soon")) {
            assertError(given().when().get("/ocr/result/" + id + "?wait=" + wait).then(), 400, "INVALID_PARAMETER");
        }
        assertJobError(given().when().get("/ocr/result/no-such-job?wait=1").then(), 404, "JOB_NOT_FOUND", "no-such-job");
    }

    @Test
    void pendingJobsAnswer202AndACancelledJobIsSkipped() throws Exception {
        List<byte[]> held = holdEveryWorker();
        byte[] waiting = TestImages.page("WAITING").bytes();
        String id = submit(waiting);

        given().when().get("/ocr/result/" + id).then().statusCode(202)
                .header("Retry-After", retryAfterWithinBounds()).header("Location", endsWith("/ocr/result/" + id))
                .body("request_id", equalTo(id)).body("status", equalTo("queued"));
        given().when().get("/ocr/result/" + id + "?format=pdf").then().statusCode(202).contentType("application/json")
                .body("status", equalTo("queued"));
        given().accept("application/pdf").when().get("/ocr/result/" + id).then().statusCode(202)
                .contentType("application/json").body("status", equalTo("queued"));
        given().when().delete("/ocr/result/" + id).then().statusCode(200)
                .body("status", equalTo("cancelled"));
        given().when().delete("/ocr/result/" + id).then().statusCode(200); // again: no-op
        assertJobError(given().when().get("/ocr/result/" + id).then(), 410, "JOB_CANCELLED", id);

        String processing = submittedIds.get(0);
        given().when().get("/ocr/result/" + processing).then().statusCode(202)
                .body("status", equalTo("processing"));
        given().when().delete("/ocr/result/" + processing).then().statusCode(200);

        recognizer.releaseAll();
        for (int i = 1; i < held.size(); i++) {
            awaitFinal(submittedIds.get(i)).statusCode(200);
            assertJobError(given().when().delete("/ocr/result/" + submittedIds.get(i)).then(), 409, "JOB_FINISHED",
                    submittedIds.get(i));
        }
        drain();
        assertEquals(0, recognizer.runs(waiting), "the worker ran a cancelled job");
        // the cancelled job's worker finished, and its result was thrown away
        assertJobError(given().when().get("/ocr/result/" + processing).then(), 410, "JOB_CANCELLED", processing);
        assertJobError(given().when().get("/ocr/result/no-such-job").then(), 404, "JOB_NOT_FOUND", "no-such-job");
        assertJobError(given().when().delete("/ocr/result/no-such-job").then(), 404, "JOB_NOT_FOUND", "no-such-job");
    }

    @Test
    void aJobNotStartedByItsDeadlineExpiresWithoutInference() throws Exception {
        holdEveryWorker();
        byte[] polled = TestImages.page("LATE POLLED").bytes();
        byte[] unread = TestImages.page("LATE UNREAD").bytes();
        String polledId = submit(polled, "?timeout=1");
        String unreadId = submit(unread, "?deadline=" + Instant.now().plusSeconds(3));
        Instant deadline = store.get(unreadId).orElseThrow().schedule().deadline();
        assertTrue(deadline.isAfter(Instant.now().minusSeconds(5)), "the deadline is stored: " + deadline);

        // a long poll of a job whose deadline passes expires it, while every worker is still busy
        assertJobError(given().when().get("/ocr/result/" + polledId + "?wait=20").then(), 410, "JOB_EXPIRED", polledId)
                .body("status", equalTo("expired"));
        await("the second job's deadline").atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(deadline));
        recognizer.releaseAll();
        String behind = submit(TestImages.page("ON TIME").bytes(), "?timeout=600");
        awaitFinal(behind).statusCode(200).body("status", equalTo("succeeded"));
        drain();
        // the other one a worker found expired when it reached it
        assertJobError(given().when().get("/ocr/result/" + unreadId).then(), 410, "JOB_EXPIRED", unreadId)
                .body("status", equalTo("expired"));
        assertEquals(0, recognizer.runs(polled), "the engine ran a job past its deadline");
        assertEquals(0, recognizer.runs(unread), "the engine ran a job past its deadline");
        assertJobError(given().when().delete("/ocr/result/" + unreadId).then(), 409, "JOB_FINISHED", unreadId);
    }

    @Test
    void queuedJobsAnswerTheirPositionAndEstimateAndMoveUpAsJobsFinish() throws Exception {
        List<byte[]> held = holdEveryWorker();
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] image = TestImages.text("QUEUED " + i).bytes();
            recognizer.hold(image); // so that a freed worker takes one job and the rest move up by one
            ExtractableResponse<Response> accepted = given().contentType("image/png")
                    .body(image).when().post("/ocr/async" + QUICK)
                    .then().statusCode(202).header("Retry-After", retryAfterWithinBounds()).extract();
            assertEquals(i + 1, accepted.<Integer>path("queue_position"), "the submission's answer: " + accepted.asString());
            queued.add(accepted.path("request_id"));
        }
        Instant previousStart = Instant.EPOCH;
        for (int i = 0; i < queued.size(); i++) {
            JsonPath poll = given().when().get("/ocr/result/" + queued.get(i)).then().statusCode(202)
                    .header("Retry-After", retryAfterWithinBounds()).body("status", equalTo("queued"))
                    .extract().jsonPath();
            assertEquals(i + 1, poll.getInt("queue_position"), poll.prettify());
            Instant start = Instant.parse(poll.getString("estimated_start_at"));
            assertTrue(start.isAfter(previousStart), "later in the queue, later to start: " + poll.prettify());
            assertTrue(Instant.parse(poll.getString("estimated_finish_at")).isAfter(start), poll.prettify());
            previousStart = start;
        }
        JsonPath running = given().when().get("/ocr/result/" + submittedIds.get(0)).then().statusCode(202)
                .body("status", equalTo("processing")).extract().jsonPath();
        assertFalse(running.getMap("$").containsKey("queue_position"), running.prettify());
        assertNotNull(running.getString("estimated_finish_at"), running.prettify());

        recognizer.release(held.get(0)); // one worker finishes, and takes (and holds) the first queued job
        await("the queue moving up").atMost(FINISH_WITHIN).untilAsserted(() -> assertEquals(List.of(1, 2, 3),
                queued.subList(1, 4).stream().map(id -> given().when().get("/ocr/result/" + id).path("queue_position"))
                        .toList()));
        recognizer.releaseAll();
        for (String id : queued) {
            awaitFinal(id).statusCode(200);
        }
    }

    @Test
    void aQueuedDocumentCountsAsItsPagesInThePositionsBehindIt() throws Exception {
        holdEveryWorker();
        byte[] pdf = TestDocuments.pdf(null, doc -> List.of("ONE", "TWO", "THREE")
                .forEach(text -> TestDocuments.vectorPage(doc, text)));
        String document = given().contentType("application/pdf").body(pdf).when().post("/ocr/async")
                .then().statusCode(202).body("queue_position", equalTo(1)).extract().path("request_id");
        String image = submit(TestImages.text("BEHIND THREE PAGES").bytes(), QUICK);
        assertEquals(List.of(1, 4), positions(List.of(document, image)));
        recognizer.releaseAll();
        awaitFinal(document).statusCode(200);
        awaitFinal(image).statusCode(200);
    }

    @Test
    void aFreedWorkerTakesTheHighLaneFirstThenTheNormalThenTheLow() throws Exception {
        List<byte[]> held = holdEveryWorker();
        List<byte[]> images = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String lane : List.of("low", "normal", "high")) { // the reverse of the order they should start in
            byte[] image = TestImages.text("LANE " + lane).bytes();
            recognizer.hold(image);
            ids.add(submit(image, QUICK + "&priority=" + lane));
            images.add(image);
        }
        assertEquals(Lane.LOW, store.get(ids.get(0)).orElseThrow().schedule().lane());
        assertEquals(List.of(3, 2, 1), positions(ids));
        for (int started = 1; started <= images.size(); started++) {
            recognizer.release(held.get(started - 1)); // a worker finishes and takes the head of the highest lane
            byte[] next = images.get(images.size() - started);
            assertTrue(recognizer.awaitHeld(next, FINISH_WITHIN), "the next lane's job never started");
            List<byte[]> behind = images.subList(0, images.size() - started);
            assertEquals(List.of(), behind.stream().filter(image -> recognizer.runs(image) > 0).toList(),
                    "a lower lane's job started first");
            assertEquals(IntStream.range(0, behind.size()).map(i -> behind.size() - i).boxed().toList(),
                    positions(ids.subList(0, behind.size())), "the lower lanes' positions");
        }
        recognizer.releaseAll();
        for (String id : ids) {
            awaitFinal(id).statusCode(200);
        }
        String formHigh = given().multiPart("image", "line.png", images.get(2), "image/png")
                .multiPart("priority", "high").when().post("/ocr/async" + QUICK).then().statusCode(202).extract()
                .path("request_id");
        assertEquals(Lane.HIGH, store.get(formHigh).orElseThrow().schedule().lane(), "from the form");
        assertError(given().contentType("image/png").body(images.get(0)).when().post("/ocr/async?priority=urgent")
                .then(), 400, "INVALID_PARAMETER");
        awaitFinal(formHigh).statusCode(200);
    }

    @Test
    void aLowJobThatWaitedItsLongestGoesAheadOfTheOtherLanes() throws Exception {
        List<byte[]> held = holdEveryWorker();
        byte[] low = TestImages.text("LOW WAITED").bytes();
        byte[] high = TestImages.text("HIGH LATER").bytes();
        recognizer.hold(low);
        recognizer.hold(high);
        String lowId = submit(low, QUICK + "&priority=low");
        Instant due = Instant.now().plus(ControlledWorkerProfile.MAX_LOW_WAIT);
        String highId = submit(high, QUICK + "&priority=high");
        assertEquals(List.of(2, 1), positions(List.of(lowId, highId)));
        await("the low job's longest wait").atMost(ControlledWorkerProfile.MAX_LOW_WAIT.plusSeconds(10))
                .until(() -> Instant.now().isAfter(due));
        recognizer.release(held.get(0));
        assertTrue(recognizer.awaitHeld(low, FINISH_WITHIN), "the low job that waited its longest never started");
        assertEquals(0, recognizer.runs(high), "the high job went before the low one that waited its longest");
        recognizer.releaseAll();
        awaitFinal(lowId).statusCode(200);
        awaitFinal(highId).statusCode(200);
    }

    /** The queue positions of jobs, as their polls answer them. */
    private static List<Integer> positions(List<String> ids) {
        return ids.stream().map(id -> given().when().get("/ocr/result/" + id).<Integer>path("queue_position"))
                .toList();
    }

    @Test
    void aDeadlineTheQueueCannotMeetIsRefusedWhenTheClientSaysSo() throws Exception {
        holdEveryWorker();
        for (int i = 0; i < 3; i++) {
            submit(TestImages.text("AHEAD " + i).bytes(), QUICK);
        }
        byte[] image = TestImages.text("IN A HURRY").bytes();
        // as if the store had measured jobs of 10 s, one at a time: fourth in line, it starts in about 40 s
        Instant at = Instant.now();
        for (int i = 0; i < 20; i++) {
            store.recordCompletion(at.plusSeconds(10L * i), Duration.ofSeconds(10));
        }
        assertError(given().contentType("image/png").body(image)
                .when().post("/ocr/async" + QUICK + "&timeout=20&deadline_policy=reject").then(), 409, "DEADLINE_UNREACHABLE");
        assertEquals(3, store.queuedCount(), "nothing was queued for it");
        assertError(given().contentType("image/png").body(image)
                .when().post("/ocr/async" + QUICK + "&deadline_policy=reject").then(), 400, "INVALID_PARAMETER");
        assertError(given().contentType("image/png").body(image)
                .when().post("/ocr/async" + QUICK + "&timeout=5&deadline_policy=later").then(), 400, "INVALID_PARAMETER");
        String patient = submit(image, QUICK + "&timeout=3600&deadline_policy=reject");
        recognizer.releaseAll();
        awaitFinal(patient).statusCode(200);
        assertEquals(1, recognizer.runs(image));
    }

    @Test
    void deadlinesComeFromTheQueryOrTheFormAndBadOnesAreRefused() {
        byte[] image = TestImages.text("DEADLINE").bytes();
        String later = Instant.now().plusSeconds(600).toString();
        String id = given().multiPart("image", "line.png", image, "image/png").multiPart("deadline", later)
                .when().post("/ocr/async" + QUICK).then().statusCode(202).extract().path("request_id");
        assertEquals(Instant.parse(later), store.get(id).orElseThrow().schedule().deadline());
        awaitFinal(id).statusCode(200);
        for (String bad : List.of("timeout=0", "timeout=86401", "timeout=soon", "deadline=tomorrow",
                "deadline=2026-12-03T18:00:00", "deadline=2020-01-01T00:00:00Z", "timeout=5&deadline=" + later)) {
            assertError(given().contentType("image/png").body(image).when().post("/ocr/async?" + bad).then(), 400,
                    "INVALID_PARAMETER");
        }
        assertError(given().multiPart("image", "line.png", image, "image/png").multiPart("timeout", "5")
                .when().post("/ocr/async?timeout=5").then(), 400, "INVALID_PARAMETER");
    }

    @Test
    void cancellingWhileJobsRunNeverLetsACancelledJobFinish() throws Exception {
        // a third of the jobs are cancelled at once (queued, or just started), a third as soon as a worker
        // runs them (a real race with the worker finishing), a third after they finished
        Map<String, Integer> cancelAnswers = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> cancels = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                byte[] image = TestImages.page("RACE " + i).bytes();
                int moment = i % 3;
                cancels.add(clients.submit(() -> {
                    String id = submit(image);
                    if (moment == 1) {
                        awaitLeaving(id, "queued");
                    } else if (moment == 2) {
                        awaitFinal(id);
                    }
                    cancelAnswers.put(id, given().when().delete("/ocr/result/" + id).then().extract().statusCode());
                    return null;
                }));
            }
            for (Future<?> cancel : cancels) {
                cancel.get();
            }
        } finally {
            clients.shutdownNow();
        }
        drain();
        cancelAnswers.forEach((id, answer) -> {
            int expected = switch (answer) {
                case 200 -> 410; // cancelled, and stays so even if a worker was running it
                case 409 -> 200; // finished first
                default -> throw new AssertionError("DELETE answered " + answer);
            };
            given().when().get("/ocr/result/" + id).then().statusCode(expected);
        });
        assertTrue(cancelAnswers.containsValue(200) && cancelAnswers.containsValue(409),
                () -> "the race never went both ways: " + cancelAnswers.values());
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstJobAndRefusesAnotherImage() {
        byte[] image = TestImages.page("ONCE ONLY").bytes();
        String key = "order-" + System.nanoTime();
        String first = given().header("Idempotency-Key", key).contentType("image/png").body(image)
                .when().post("/ocr/async").then().statusCode(202).extract().path("request_id");
        String second = given().header("Idempotency-Key", key).contentType("image/png").body(image)
                .when().post("/ocr/async").then().statusCode(202).extract().path("request_id");
        assertEquals(first, second);
        assertJobError(given().header("Idempotency-Key", key).contentType("image/png").body(TestImages.page("OTHER").bytes())
                .when().post("/ocr/async").then(), 422, "IDEMPOTENCY_KEY_REUSED", first);
        awaitFinal(first).statusCode(200);
        assertEquals(1, recognizer.runs(image), "the repeated submission ran again");
    }

    @Test
    void anImageTheWorkerCannotDecodeFailsAtOnceWithoutRetries() {
        byte[] whole = TestImages.page("CUT SHORT").bytes();
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2); // the header still reads
        String id = submit(truncated);
        assertJobError(awaitFinal(id), 422, "IMAGE_UNDECODABLE", id);
        assertEquals(1, recognizer.runs(truncated));
    }

    @Test
    void aJobThatBreaksTheEngineFailsAfterItsAttemptsAndTheOthersGoOn() throws Exception {
        byte[] poison = TestImages.page("POISON").bytes();
        recognizer.poison(poison);
        String poisoned = submit(poison);
        List<String> good = IntStream.range(0, 6).mapToObj(i -> submit(TestImages.text("GOOD " + i).bytes(), QUICK)).toList();

        assertJobError(awaitFinal(poisoned), 500, "INTERNAL_ERROR", poisoned);
        assertEquals(ControlledWorkerProfile.MAX_ATTEMPTS, recognizer.runs(poison));
        for (String id : good) {
            awaitFinal(id).statusCode(200);
        }
        awaitDeadLetter(poisoned);
    }

    @Test
    void aMalformedMessageIsDeadLetteredAndTheQueueGoesOn() throws Exception {
        String garbage = "not a job " + System.nanoTime();
        try (AmqpTestClient client = new AmqpTestClient(broker.endpoint())) {
            client.send(messages.requests(), AmqpTestClient.text(garbage));
        }
        awaitFinal(submit(TestImages.page("AFTER GARBAGE").bytes())).statusCode(200);
        awaitDeadLetter(garbage);
    }

    @Test
    void aRedeliveredMessageOfAFinishedJobDoesNotRunItAgain() throws Exception {
        byte[] image = TestImages.page("RUN ONCE").bytes();
        String id = submit(image);
        String finishedAt = awaitFinal(id).statusCode(200).extract().path("finished_at");
        try (AmqpTestClient client = new AmqpTestClient(broker.endpoint())) {
            client.send(messages.requests(), AmqpTestClient.text(
                    "{\"request_id\":\"" + id + "\",\"attempt\":1,\"options\":{\"det\":true,\"cls\":true,\"rec\":true}}"));
        }
        awaitFinal(submit(TestImages.page("BEHIND IT").bytes())).statusCode(200); // the queue moved past the copy
        assertEquals(1, recognizer.runs(image));
        given().when().get("/ocr/result/" + id).then().statusCode(200)
                .body("finished_at", equalTo(finishedAt));
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        holdEveryWorker();
        byte[] tiny = TestImages.blank(64, 32).bytes();
        int accepted = 0;
        while (true) {
            ExtractableResponse<Response> answer = given().contentType("image/png").body(tiny)
                    .when().post("/ocr/async" + QUICK).then().extract();
            if (answer.statusCode() != 202) {
                assertJobError(answer.response().then(), 503, "QUEUE_FULL", null)
                        .header("Retry-After", retryAfterWithinBounds());
                break;
            }
            accepted++;
            assertTrue(accepted <= ControlledWorkerProfile.MAX_DEPTH, "the queue took more than its limit");
        }
        assertEquals(ControlledWorkerProfile.MAX_DEPTH, accepted);
        // the autoscaling signal counts exactly the waiting jobs (the held ones are running)
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("ocr_queue_depth " + ControlledWorkerProfile.MAX_DEPTH + ".0"))
                .body(containsString("ocr_jobs_in_flight " + ControlledWorkerProfile.CONCURRENCY + ".0"));
    }

    @Test
    void aSynchronousCallPastItsTimeoutAnswers202WithTheLocation() throws Exception {
        byte[] slow = TestImages.page("SLOW").bytes();
        recognizer.hold(slow);
        ExtractableResponse<Response> answer = given().contentType("image/png").body(slow)
                .when().post("/ocr").then().statusCode(202).header("Retry-After", retryAfterWithinBounds()).extract();
        String id = answer.path("request_id");
        assertEquals("processing", answer.path("status"));
        assertTrue(answer.header("Location").endsWith("/ocr/result/" + id));
        recognizer.releaseAll();
        assertEquals("SLOW", awaitFinal(id).statusCode(200).extract().path("text"));
    }

    @Test
    void aSynchronousCallAnswersWithTheResult() {
        JsonPath result = given().contentType("image/png").body(TestImages.page("HELLO SYNC 42").bytes())
                .when().post("/ocr")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", result.getString("status"));
        assertEquals("HELLOSYNC42", result.getString("text").replace(" ", ""));
        given().when().get("/ocr/result/" + result.getString("request_id")).then().statusCode(200);
    }

    /** A Retry-After of whole seconds within the bounds the estimate is held to. */
    static Matcher<String> retryAfterWithinBounds() {
        return matchesPattern("[1-9]|[12][0-9]|30");
    }

    /** Submits a page of {@code text} that the recognizer holds, and waits until a worker has it. */
    String submitHeld(String text) throws InterruptedException {
        byte[] image = TestImages.page(text).bytes();
        recognizer.hold(image);
        String id = submit(image);
        assertTrue(recognizer.awaitHeld(image, Duration.ofSeconds(30)), "a held job never reached a worker");
        return id;
    }

    /** Fills every worker slot with a held job and waits until all are inside the workers. */
    List<byte[]> holdEveryWorker() throws InterruptedException {
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < ControlledWorkerProfile.CONCURRENCY; i++) {
            byte[] image = TestImages.page("HELD " + i).bytes();
            recognizer.hold(image);
            submittedIds.add(submit(image));
            held.add(image);
        }
        for (byte[] image : held) {
            assertTrue(recognizer.awaitHeld(image, Duration.ofSeconds(30)), "a held job never reached a worker");
        }
        return held;
    }

    static String submit(byte[] image) {
        return submit(image, "");
    }

    static String submit(byte[] image, String query) {
        return given().contentType("image/png").body(image).when().post("/ocr/async" + query)
                .then().statusCode(202).extract().path("request_id");
    }

    /** Polls until the job's status is no longer {@code status}. */
    private static void awaitLeaving(String id, String status) {
        await("job " + id + " no longer " + status).atMost(FINISH_WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> given().when().get("/ocr/result/" + id).path("status"), now -> !status.equals(now));
    }

    /** Polls until the job is no longer pending, for the usual bound. */
    static ValidatableResponse awaitFinal(String id) {
        return awaitFinal(id, FINISH_WITHIN);
    }

    /** Polls until the job is no longer pending, for at most {@code within}, and answers with that last answer. */
    static ValidatableResponse awaitFinal(String id, Duration within) {
        AtomicReference<Response> last = new AtomicReference<>();
        await().atMost(within).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
            last.set(given().when().get("/ocr/result/" + id));
            assertNotEquals(202, last.get().statusCode(), () -> "job " + id + " still pending: " + last.get().asString());
        });
        return last.get().then();
    }

    /** Waits until a message on the dead-letter queue mentions {@code text}, taking what it reads off the queue. */
    void awaitDeadLetter(String text) throws Exception {
        try (AmqpTestClient client = new AmqpTestClient(broker.endpoint())) {
            client.awaitMessage(messages.deadLetters(), message -> body(message).contains(text), Duration.ofSeconds(30));
        }
    }

    private static String body(Message message) {
        if (message.getBody() instanceof Data data) {
            return new String(data.getValue().getArray(), data.getValue().getArrayOffset(), data.getValue().getLength(),
                    StandardCharsets.UTF_8);
        }
        return String.valueOf(((AmqpValue) message.getBody()).getValue());
    }
}
