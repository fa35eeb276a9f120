package dev.asyncocr.api;

import dev.asyncocr.testing.ControlledWorkerProfile;
import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import dev.asyncocr.testing.TestTokens;
import dev.asyncocr.worker.ControlledRecognizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants over HTTP with authentication on, through a real broker, store and pipeline; run once per setup
 * (embedded Artemis + in-memory store, RabbitMQ + Redis): a call without a valid credential does nothing, and a
 * tenant never reads, cancels, lists, fetches a format of, re-submits by idempotency key into, or gets the events
 * of another tenant's job; its quota holds under concurrent submissions; the metrics name configured tenants only;
 * the CloudEvents ingress takes its own token, and a tenant only from an event that came with it.
 */
abstract class TenantsContract {

    private static final Duration WITHIN = Duration.ofSeconds(90);
    /** Recognition only, the whole image one line: a few milliseconds for a {@link TestImages#text} line. */
    private static final String QUICK = "?det=false&cls=false";

    @Inject
    MeterRegistry registry;
    @Inject
    ControlledRecognizer recognizer;

    @AfterEach
    void release() {
        recognizer.releaseAll();
        recognizer.reset();
    }

    @Test
    void aCallWithoutAValidCredentialIs401AndQueuesNothing() {
        byte[] image = TestImages.text("NO ENTRY").bytes();
        double submittedBefore = submitted();
        List<String> refused = List.of("Bearer wrong-key", "Bearer " + TestTokens.expiredToken(TestTokens.TENANT_A),
                "Bearer " + TestTokens.forgedToken(TestTokens.TENANT_A),
                "Bearer " + TestTokens.otherIssuerToken(TestTokens.TENANT_A),
                "Bearer " + TestTokens.KEY_A + "x", "Bearer " + TestTokens.token(TestTokens.TENANT_A) + "x");
        for (String credential : refused) {
            assertError(given().header("Authorization", credential).contentType("image/png").body(image)
                    .when().post("/ocr/async").then(), 401, "UNAUTHENTICATED")
                    .header("WWW-Authenticate", startsWith("Bearer realm=\"async-ocr\", error=\"invalid_token\""));
        }
        for (String absent : List.of("", "Basic dGVuYW50LWE6a2V5", "Bearer ", TestTokens.KEY_A)) {
            RequestSpecification request = absent.isEmpty() ? given() : given().header("Authorization", absent);
            assertError(request.contentType("image/png").body(image).when().post("/ocr?det=false").then(),
                    401, "UNAUTHENTICATED").header("WWW-Authenticate", equalTo("Bearer realm=\"async-ocr\""));
        }
        assertError(given().when().get("/ocr/result/any-id").then(), 401, "UNAUTHENTICATED");
        assertError(given().when().delete("/ocr/result/any-id").then(), 401, "UNAUTHENTICATED");
        // refused before the query is checked: the credential comes first
        assertError(given().when().get("/ocr/result/any-id?misspelt=1").then(), 401, "UNAUTHENTICATED");
        assertEquals(submittedBefore, submitted(), "a refused call queued a job");
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentTakeNoCredential() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theIngressTakesItsOwnTokenAndTheTenantAnEventNamesOnlyWithIt() {
        byte[] image = TestImages.text("INGRESS 5").bytes();
        assertError(event(image, Map.of()).when().post("/").then(), 401, "UNAUTHENTICATED");
        assertError(event(image, Map.of()).header("Authorization", "Bearer " + TestTokens.KEY_A).when().post("/")
                .then(), 401, "UNAUTHENTICATED"); // a tenant's key is not the ingress's token

        String named = trustedEvent(image, Map.of("ce-ocrtenant", TestTokens.TENANT_A));
        assertEquals("INGRESS5", text(awaitFinal(TestTokens.KEY_A, named)));
        assertJobError(asTenantB().when().get("/ocr/result/" + named).then(), 404, "JOB_NOT_FOUND", named);

        String unnamed = trustedEvent(image, Map.of());
        assertEquals("INGRESS5", text(awaitFinal(TestTokens.token(TestTokens.INGRESS_TENANT), unnamed)),
                "an event naming no tenant is the ingress's tenant's");
        assertJobError(asTenantA().when().get("/ocr/result/" + unnamed).then(), 404, "JOB_NOT_FOUND", unnamed);
    }

    @Test
    void aTenantListsItsOwnJobsNewestFirstAPageAtATime() {
        RequestSpecification lister = as(TestTokens.token("tenant-lister"));
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(0, submit(as(TestTokens.token("tenant-lister")), TestImages.text("LIST " + i).bytes(), QUICK));
        }
        String others = submit(asTenantB(), TestImages.text("LIST B").bytes(), QUICK);
        mine.forEach(id -> awaitFinal(TestTokens.token("tenant-lister"), id));

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification page = as(TestTokens.token("tenant-lister")).queryParam("limit", 2);
            ExtractableResponse<Response> answer = (cursor == null ? page : page.queryParam("cursor", cursor))
                    .when().get("/ocr/jobs").then().statusCode(200).extract();
            listed.addAll(answer.path("jobs.request_id"));
            cursor = answer.path("next_cursor");
        } while (cursor != null);
        assertEquals(mine, listed, "newest first, each once");
        lister.when().get("/ocr/jobs?status=succeeded").then().statusCode(200)
                .body("jobs[0].request_id", equalTo(mine.get(0))).body("jobs[0].status", equalTo("succeeded"))
                .body("jobs[0].links.result", equalTo("/ocr/result/" + mine.get(0)))
                .body("jobs[0].created_at", notNullValue()).body("jobs[0].finished_at", notNullValue());
        assertEquals(List.of(), as(TestTokens.token("tenant-lister")).when().get("/ocr/jobs?status=queued")
                .then().statusCode(200).extract().path("jobs"));
        List<String> bs = asTenantB().when().get("/ocr/jobs?limit=100").then().statusCode(200).extract()
                .path("jobs.request_id");
        assertTrue(bs.contains(others) && bs.stream().noneMatch(mine::contains), "B lists its jobs only: " + bs);

        for (String bad : List.of("status=done", "limit=0", "limit=101", "cursor=not-a-cursor", "page=2")) {
            assertError(as(TestTokens.token("tenant-lister")).when().get("/ocr/jobs?" + bad).then(), 400,
                    "INVALID_PARAMETER");
        }
        assertError(given().when().get("/ocr/jobs").then(), 401, "UNAUTHENTICATED");
    }

    @Test
    void theQuotaAcceptsExactlyItsBoundUnderConcurrentSubmissionsAndHasRoomAgainAsWorkEnds() throws Exception {
        byte[] image = TestImages.text("QUOTA 9").bytes();
        recognizer.hold(image); // the accepted jobs stay queued or running until released
        String token = TestTokens.token(TestTokens.QUOTA_TENANT);
        int racers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Response> answers = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return as(token).contentType("image/png").body(image).when().post("/ocr/async" + QUICK);
                }));
            }
            go.countDown();
            for (Future<Response> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> accepted = answers.stream().filter(a -> a.statusCode() == 202)
                .map(a -> a.<String>path("request_id")).toList();
        assertEquals(TestTokens.QUOTA, accepted.size(), "exactly the quota accepted");
        for (Response refused : answers.stream().filter(a -> a.statusCode() != 202).toList()) {
            assertError(refused.then(), 429, "TENANT_QUOTA");
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
        }

        as(token).when().delete("/ocr/result/" + accepted.get(0)).then().statusCode(200);
        String again = submit(as(token), image, QUICK); // the cancelled job's room
        assertError(as(token).contentType("image/png").body(image).when().post("/ocr/async" + QUICK).then(), 429,
                "TENANT_QUOTA");
        submit(asTenantA(), TestImages.text("UNBOUND").bytes(), QUICK); // another tenant has no quota

        recognizer.releaseAll();
        for (String id : accepted.subList(1, accepted.size())) {
            awaitFinal(token, id);
        }
        awaitFinal(token, again);
        submit(as(token), TestImages.text("QUOTA 10").bytes(), QUICK); // finished work made room
    }

    @Test
    void anotherTenantsJobStartsAtTheNextFreeWorkerNotAfterATenantsBacklog() throws Exception {
        List<byte[]> running = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ControlledWorkerProfile.CONCURRENCY; i++) { // A's jobs on every worker
            byte[] image = TestImages.text("A RUNNING " + i).bytes();
            recognizer.hold(image);
            ids.add(submit(asTenantA(), image, QUICK));
            running.add(image);
        }
        for (byte[] image : running) {
            assertTrue(recognizer.awaitHeld(image, WITHIN), "A's job never reached a worker");
        }
        List<byte[]> backlog = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // and a backlog of A's behind them
            byte[] image = TestImages.text("A WAITING " + i).bytes();
            recognizer.hold(image);
            ids.add(submit(asTenantA(), image, QUICK));
            backlog.add(image);
        }
        byte[] mine = TestImages.text("B ARRIVES").bytes();
        recognizer.hold(mine);
        String idB = submit(asTenantB(), mine, QUICK);
        assertEquals(1, asTenantB().when().get("/ocr/result/" + idB).<Integer>path("queue_position"),
                "B's position counts A's turns, not A's backlog");
        assertEquals(9, asTenantA().when().get("/ocr/result/" + ids.get(ids.size() - 1))
                .<Integer>path("queue_position"), "A's last: its seven before it and B's one turn");

        recognizer.release(running.get(0)); // a worker frees: B's turn, as A had the last start
        assertTrue(recognizer.awaitHeld(mine, WITHIN), "B's job never started");
        assertEquals(List.of(), backlog.stream().filter(image -> recognizer.runs(image) > 0).toList(),
                "A's backlog went before B's job");
        recognizer.releaseAll();
        for (String id : ids) {
            awaitFinal(TestTokens.KEY_A, id).statusCode(200);
        }
        awaitFinal(TestTokens.KEY_B, idB).statusCode(200);
    }

    @Test
    void theTenantLabelNamesConfiguredTenantsOnlyAndEveryOtherAsOther() {
        String unnamed = "unnamed-" + UUID.randomUUID();
        double other = submittedAs("other");
        double tenantA = submittedAs(TestTokens.TENANT_A);
        submit(as(TestTokens.token(unnamed)), TestImages.text("LABEL 1").bytes(), QUICK);
        submit(asTenantA(), TestImages.text("LABEL 2").bytes(), QUICK);
        assertEquals(other + 1, submittedAs("other"));
        assertEquals(tenantA + 1, submittedAs(TestTokens.TENANT_A));
        Set<String> labels = new TreeSet<>();
        for (String metric : List.of("ocr.jobs.submitted", "ocr.jobs.completed")) {
            registry.get(metric).meters().forEach(meter -> labels.add(meter.getId().getTag("tenant")));
        }
        assertEquals(new TreeSet<>(Set.of(TestTokens.TENANT_A, TestTokens.TENANT_B, "anonymous", "other")), labels,
                "a tenant the configuration does not name adds no series");
    }

    @Test
    void anApiKeyAndATokenOfOneTenantSeeTheSameJobs() {
        String id = submit(asTenantA(), TestImages.text("KEYED 1").bytes(), QUICK);
        assertEquals("KEYED1", text(awaitFinal(TestTokens.token(TestTokens.TENANT_A), id)));

        String tokenJob = submit(as(TestTokens.token(TestTokens.TENANT_B)),
                TestImages.text("TOKEN 2").bytes(), QUICK);
        assertEquals("TOKEN2", text(awaitFinal(TestTokens.KEY_B, tokenJob)));
    }

    @Test
    void anotherTenantsJobIsUnknownToEveryReadCancelAndFormat() throws Exception {
        byte[] image = TestImages.text("PRIVATE 3").bytes();
        recognizer.hold(image); // running and held, so that a cancel could take effect
        String id = submit(asTenantA(), image, QUICK);
        assertTrue(recognizer.awaitHeld(image, Duration.ofSeconds(30)), "the job never reached a worker");

        for (String read : List.of("", "?format=text", "?format=alto", "?words=true", "?wait=20", "/pages/1",
                "/pages/1/image")) {
            long start = System.nanoTime();
            assertJobError(asTenantB().when().get("/ocr/result/" + id + read).then(), 404, "JOB_NOT_FOUND", id);
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "a long poll on another's job waited for it");
        }
        assertJobError(asTenantB().when().delete("/ocr/result/" + id).then(), 404, "JOB_NOT_FOUND", id);
        assertJobError(asTenantB().when().delete("/ocr/result/" + id + "?purge=true").then(), 404, "JOB_NOT_FOUND",
                id);
        assertJobError(as(TestTokens.token("tenant-c"))
                .when().get("/ocr/result/" + id).then(), 404, "JOB_NOT_FOUND", id);
        asTenantA().when().get("/ocr/result/" + id).then().statusCode(202).body("status", equalTo("processing"));

        recognizer.releaseAll();
        assertEquals("PRIVATE3", text(awaitFinal(TestTokens.KEY_A, id)), "B's cancel or purge took effect");
        asTenantA().when().get("/ocr/result/" + id + "?format=text").then().statusCode(200);
        assertJobError(asTenantB().when().get("/ocr/result/" + id + "?format=text").then(), 404, "JOB_NOT_FOUND", id);
        assertJobError(asTenantB().when().delete("/ocr/result/" + id).then(), 404, "JOB_NOT_FOUND", id);
        assertJobError(asTenantB().when().delete("/ocr/result/" + id + "?purge=true").then(), 404, "JOB_NOT_FOUND",
                id);
    }

    @Test
    void idempotencyKeysArePerTenant() {
        byte[] imageA = TestImages.text("IDEM A").bytes();
        byte[] imageB = TestImages.text("IDEM B").bytes();
        String key = "shared-key-" + System.nanoTime();
        String first = submit(asTenantA().header("Idempotency-Key", key), imageA, QUICK);
        String other = submit(asTenantB().header("Idempotency-Key", key), imageB, QUICK); // no 422: another tenant's key
        assertNotEquals(first, other);
        assertEquals(first, submit(asTenantA().header("Idempotency-Key", key), imageA, QUICK));
        assertEquals(other, submit(asTenantB().header("Idempotency-Key", key), imageB, QUICK));
        assertJobError(asTenantB().header("Idempotency-Key", key).contentType("image/png").body(imageA)
                .when().post("/ocr/async" + QUICK).then(), 422, "IDEMPOTENCY_KEY_REUSED", other);
        assertEquals("IDEMA", text(awaitFinal(TestTokens.KEY_A, first)));
        assertEquals("IDEMB", text(awaitFinal(TestTokens.KEY_B, other)));
    }

    @Test
    void eachTenantsCompletionEventNamesItsTenantAndGoesToItsCallbackOnly() {
        try (EventReceiver receiver = new EventReceiver(0)) {
            String idA = submit(asTenantA().queryParam("callback_url", receiver.url("/a")),
                    TestImages.text("EVENT A").bytes(), QUICK);
            String idB = submit(asTenantB().queryParam("callback_url", receiver.url("/b")),
                    TestImages.text("EVENT B").bytes(), QUICK);
            Received eventA = receiver.await(EventReceiver.about(idA), 1, WITHIN).get(0);
            Received eventB = receiver.await(EventReceiver.about(idB), 1, WITHIN).get(0);
            assertEquals("/a", eventA.path());
            assertEquals(TestTokens.TENANT_A, eventA.event().getExtension("ocrtenant"));
            assertEquals("/b", eventB.path());
            assertEquals(TestTokens.TENANT_B, eventB.event().getExtension("ocrtenant"));
            assertTrue(receiver.received(r -> r.path().equals("/b")).stream().allMatch(EventReceiver.about(idB)),
                    "tenant B's receiver got another job's event");
        }
    }

    private double submittedAs(String tenant) {
        return registry.get("ocr.jobs.submitted").tag("tenant", tenant).counter().count();
    }

    /** A binary-mode request event for {@code image}, with {@code extra} headers. */
    private static RequestSpecification event(byte[] image, Map<String, String> extra) {
        return given().headers(Map.of("ce-specversion", "1.0", "ce-id", UUID.randomUUID().toString(),
                "ce-source", "/tests/tenants", "ce-type", "dev.asyncocr.ocr.requested", "ce-ocrdet", "false",
                "ce-ocrcls", "false")).headers(extra).contentType("image/png").body(image);
    }

    /** Sends an event with the ingress's token; answers its job's id. */
    private static String trustedEvent(byte[] image, Map<String, String> extra) {
        return event(image, extra).header("Authorization", "Bearer " + TestTokens.INGRESS_TOKEN).when().post("/")
                .then().statusCode(202).extract().path("request_id");
    }

    private static RequestSpecification asTenantA() {
        return as(TestTokens.KEY_A);
    }

    private static RequestSpecification asTenantB() {
        return as(TestTokens.KEY_B);
    }

    private static RequestSpecification as(String credential) {
        return given().header("Authorization", "Bearer " + credential);
    }

    private static String submit(RequestSpecification as, byte[] image, String query) {
        return as.contentType("image/png").body(image).when().post("/ocr/async" + query)
                .then().statusCode(202).extract().path("request_id");
    }

    /** Polls as {@code credential} until the job is no longer pending, and answers with that last answer. */
    private static ValidatableResponse awaitFinal(String credential, String id) {
        AtomicReference<Response> last = new AtomicReference<>();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
            last.set(as(credential).when().get("/ocr/result/" + id));
            assertNotEquals(202, last.get().statusCode(), () -> "job " + id + " still pending");
        });
        return last.get().then();
    }

    /** The recognised text, spaces aside (the recogniser may or may not see the gap between words). */
    private static String text(ValidatableResponse response) {
        return response.statusCode(200).extract().<String>path("text").replace(" ", "");
    }

    private double submitted() {
        return registry.get("ocr.jobs.submitted").counters().stream().mapToDouble(Counter::count).sum();
    }
}
