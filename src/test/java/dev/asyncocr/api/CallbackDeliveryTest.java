package dev.asyncocr.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asyncocr.testing.CallbackProfile;
import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.PrometheusScrape;
import dev.asyncocr.testing.TestDocuments;
import dev.asyncocr.testing.EventReceiver.Received;
import dev.asyncocr.testing.EventReceiver.Reply;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.asyncocr.api.AsyncJobFlowContract.awaitFinal;
import static dev.asyncocr.api.AsyncJobFlowContract.submit;
import static dev.asyncocr.api.ErrorAssertions.assertError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Completion events from a running service to real HTTP receivers: signed, readable by the CloudEvents
 * SDK, retried when the receiver is unavailable, slow or throttling, given up when it refuses, and their
 * delivery shown on the job.
 */
@QuarkusTest
@TestProfile(CallbackProfile.class)
class CallbackDeliveryTest extends CallbackReceivers {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** Recognition only: a few milliseconds per job. */
    private static final String QUICK = "?det=false&cls=false";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aFinishedJobSendsOneSignedCompletionEventToItsCallbackAndTheSink() throws Exception {
        String id = submitWithCallback(TestImages.text("SIGNED 7"), "/done");
        Received request = receiver.await(EventReceiver.about(id), 1, WITHIN).get(0);
        JsonPath polled = awaitFinal(id).statusCode(200).extract().jsonPath();

        assertSignedByEverySecret(request);
        long sentAt = Long.parseLong(request.header("webhook-timestamp"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - sentAt) < 120, "timestamp " + sentAt);
        CloudEvent event = request.event();
        assertEquals("1.0", event.getSpecVersion().toString());
        assertEquals("dev.asyncocr.ocr.completed", event.getType());
        assertEquals(id, event.getSubject());
        assertEquals("/async-ocr", event.getSource().toString());
        assertEquals(request.header("webhook-id"), event.getId(), "one id for CloudEvents and Standard Webhooks");
        assertEquals("application/json", event.getDataContentType());
        assertEquals("callbacks", event.getExtension("testrun"), "K_CE_OVERRIDES extensions");
        assertEquals(Instant.parse(polled.getString("finished_at")), event.getTime().toInstant());
        assertEquals("/done", request.path());

        JsonNode data = json.readTree(event.getData().toBytes());
        ObjectNode pollBody = (ObjectNode) json.readTree(given().when().get("/ocr/result/" + id).asString());
        assertEquals(2, pollBody.remove("deliveries").size(), "callback and sink: " + pollBody);
        assertEquals(pollBody, data, "the event's data is the poll's body, less the deliveries");
        assertEquals("SIGNED7", data.get("text").asText().replace(" ", ""));

        Received atSink = sink.await(EventReceiver.about(id), 1, WITHIN).get(0);
        assertEquals(event.getId(), atSink.event().getId(), "the same event, to both targets");
        JsonPath deliveries = awaitDeliveries(id);
        assertEquals(List.of("callback", "sink"), deliveries.getList("deliveries.target"));
        assertEquals(List.of("delivered", "delivered"), deliveries.getList("deliveries.state"));
        assertEquals(List.of(1, 1), deliveries.getList("deliveries.attempts"));
        assertEquals(List.of(200, 200), deliveries.getList("deliveries.last_status"));
        assertEquals(1, receiver.received(EventReceiver.about(id)).size(), "delivered once");
    }

    @Test
    void aDocumentAskingForPageEventsSendsOneSignedEventPerPageAndItsOneCompletionEvent() throws Exception {
        byte[] pdf = TestDocuments.pdf(null, doc -> {
            TestDocuments.vectorPage(doc, "PAGE ONE");
            TestDocuments.vectorPage(doc, "PAGE TWO");
        });
        receiver.script("/pages", Reply.status(503)); // the first event sent is retried
        String id = given().contentType("application/pdf").body(pdf).when().post("/ocr/async" + QUICK
                + "&dpi=72&page_events=true&callback_url=" + receiver.url("/pages")).then().statusCode(202)
                .extract().path("request_id");
        JsonPath deliveries = awaitDeliveries(id);
        assertEquals(List.of("delivered"), deliveries.getList("deliveries.state").stream().distinct().toList());
        assertEquals(6, deliveries.getList("deliveries").size(), "each page's and the job's, to callback and sink");

        List<Received> sends = receiver.received(EventReceiver.about(id));
        sends.forEach(CallbackDeliveryTest::assertSignedByEverySecret);
        List<CloudEvent> pageEvents = sends.stream().map(Received::event)
                .filter(e -> e.getType().equals("dev.asyncocr.ocr.page.completed")).toList();
        assertEquals(3, pageEvents.size(), "two pages, one of them sent twice: " + pageEvents);
        Set<String> pageIds = new HashSet<>(pageEvents.stream().map(CloudEvent::getId).toList());
        assertEquals(Set.of(id + ".page.1.succeeded", id + ".page.2.succeeded"), pageIds, "one event per page");
        Set<Integer> pages = new HashSet<>();
        for (CloudEvent event : pageEvents) {
            JsonNode data = json.readTree(event.getData().toBytes());
            pages.add(data.get("page").asInt());
            assertEquals(id, data.get("request_id").asText());
            assertEquals("succeeded", data.get("status").asText());
            assertEquals(2, data.get("pages_total").asInt());
            assertTrue(data.at("/progress/succeeded").asInt() >= 1, data.toString());
        }
        assertEquals(Set.of(1, 2), pages);
        List<CloudEvent> completions = sends.stream().map(Received::event)
                .filter(e -> e.getType().equals("dev.asyncocr.ocr.completed")).toList();
        assertEquals(1, completions.size(), "the job's one completion event, as for any document");
        assertEquals(2, json.readTree(completions.get(0).getData().toBytes()).at("/progress/succeeded").asInt());
        assertEquals(3, sink.received(EventReceiver.about(id)).size(), "the sink gets the page events too");
    }

    @Test
    void aFailedJobSendsAFailedEventWithItsError() throws Exception {
        byte[] png = TestImages.text("BROKEN").bytes();
        byte[] truncated = Arrays.copyOf(png, png.length / 2); // the header passes; decoding fails in the worker
        String id = submitWithCallback(truncated, "/failed");
        CloudEvent event = receiver.await(EventReceiver.about(id), 1, WITHIN).get(0).event();
        assertEquals("dev.asyncocr.ocr.failed", event.getType());
        JsonNode data = json.readTree(event.getData().toBytes());
        assertEquals("IMAGE_UNDECODABLE", data.at("/error/code").asText(), data.toString());
        assertEquals(id, data.get("request_id").asText());
        assertEquals("delivered", awaitDeliveries(id).getString("deliveries[0].state"));
        assertJobFailedWith(id, "IMAGE_UNDECODABLE");
    }

    @Test
    void twoServiceUnavailableAnswersAreRetriedUntilTheEventIsDelivered() {
        PrometheusScrape before = PrometheusScrape.now();
        receiver.script("/flaky", Reply.status(503), Reply.status(503));
        String id = submitWithCallback(TestImages.text("RETRY 3"), "/flaky");
        List<Received> sends = receiver.await(EventReceiver.about(id), 3, WITHIN);
        Set<String> ids = new HashSet<>();
        sends.forEach(send -> {
            ids.add(send.header("webhook-id"));
            ids.add(send.header("ce-id"));
            assertSignedByEverySecret(send);
        });
        assertEquals(1, ids.size(), "one event id across retries: " + ids);
        JsonPath deliveries = awaitDeliveries(id);
        assertEquals("delivered", deliveries.getString("deliveries[0].state"));
        assertEquals(3, deliveries.getInt("deliveries[0].attempts"));
        assertEquals(200, deliveries.getInt("deliveries[0].last_status"));
        // at least: deliveries of other tests' jobs may settle meanwhile
        PrometheusScrape after = PrometheusScrape.now();
        assertTrue(deliveries(before, after, "retried") >= 2, "two sends counted as retried");
        assertTrue(deliveries(before, after, "delivered") >= 1, "one send counted as delivered");
    }

    private static double deliveries(PrometheusScrape before, PrometheusScrape after, String outcome) {
        String[] labels = {"outcome=" + outcome, "target=callback"};
        return after.value("ocr_callback_deliveries_total", labels) - before.value("ocr_callback_deliveries_total", labels);
    }

    @Test
    void aThrottlingReceiversRetryAfterIsHonoured() {
        receiver.script("/throttled", Reply.status(429).withHeader("Retry-After", "2"));
        String id = submitWithCallback(TestImages.text("LATER 4"), "/throttled");
        List<Received> sends = receiver.await(EventReceiver.about(id), 2, WITHIN);
        Duration gap = Duration.between(sends.get(0).at(), sends.get(1).at());
        assertTrue(gap.compareTo(Duration.ofMillis(1900)) >= 0, "retried after " + gap + ", not after 2 s");
        assertEquals("delivered", awaitDeliveries(id).getString("deliveries[0].state"));
    }

    @Test
    void aPermanentClientErrorFailsTheDeliveryAtOnce() throws InterruptedException {
        PrometheusScrape before = PrometheusScrape.now();
        receiver.script("/gone", Reply.status(404));
        String id = submitWithCallback(TestImages.text("NOT FOUND 5"), "/gone");
        JsonPath deliveries = awaitDeliveries(id);
        assertTrue(deliveries(before, PrometheusScrape.now(), "failed") >= 1, "the send counted as failed");
        assertEquals("failed", deliveries.getString("deliveries[0].state"));
        assertEquals(1, deliveries.getInt("deliveries[0].attempts"));
        assertEquals(404, deliveries.getInt("deliveries[0].last_status"));
        assertTrue(deliveries.getString("deliveries[0].last_error").contains("404"));
        Thread.sleep(1500); // longer than any backoff of this profile: a retry would have come
        assertEquals(1, receiver.received(EventReceiver.about(id)).size());
    }

    @Test
    void aReceiverSlowerThanTheTimeoutIsRetriedThenGivenUp() {
        Reply slow = Reply.slow(CallbackProfile.TIMEOUT.multipliedBy(3));
        receiver.script("/slow", slow, slow, slow, slow);
        String id = submitWithCallback(TestImages.text("SLOW 6"), "/slow");
        JsonPath deliveries = awaitDeliveries(id);
        assertEquals("failed", deliveries.getString("deliveries[0].state"));
        assertEquals(CallbackProfile.MAX_ATTEMPTS, deliveries.getInt("deliveries[0].attempts"));
        assertNull(deliveries.get("deliveries[0].last_status"), "it never answered in time");
        assertTrue(deliveries.getString("deliveries[0].last_error").contains("timed out"),
                deliveries.getString("deliveries[0].last_error"));
        assertEquals(CallbackProfile.MAX_ATTEMPTS, receiver.received(EventReceiver.about(id)).size());
    }

    @Test
    void aCallbackUrlThatIsNotHttpIsRefusedAtSubmission() {
        for (String url : List.of("ftp://127.0.0.1/x", "not a url", "http:///no-host", "/relative/path")) {
            assertError(given().contentType("image/png").body(TestImages.text("NO").bytes())
                    .queryParam("callback_url", url).when().post("/ocr/async").then(), 400, "INVALID_CALLBACK_URL");
        }
    }

    private static void assertJobFailedWith(String id, String code) {
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id).then(), 422, code, id);
    }

    private String submitWithCallback(TestImages.Png image, String path) {
        return submitWithCallback(image.bytes(), path);
    }

    private String submitWithCallback(byte[] image, String path) {
        return submit(image, QUICK + "&callback_url=" + receiver.url(path));
    }

    /** Polls until no delivery of the job is pending, and returns that poll. */
    private static JsonPath awaitDeliveries(String id) {
        return JsonPath.from(await("deliveries of job " + id + " settled").atMost(WITHIN)
                .pollInterval(Duration.ofMillis(50)).until(() -> awaitFinal(id).extract().asString(), job -> {
                    List<String> states = JsonPath.from(job).getList("deliveries.state");
                    return states != null && !states.isEmpty() && !states.contains("pending");
                }));
    }

    /**
     * Checks {@code webhook-signature} with the test's own reading of Standard Webhooks: one {@code v1,}
     * signature per configured secret, each the base64 HMAC-SHA256 of {@code id.timestamp.body} keyed with
     * the secret's base64-decoded part after {@code whsec_}.
     */
    static void assertSignedByEverySecret(Received request) {
        String signed = request.header("webhook-id") + "." + request.header("webhook-timestamp") + ".";
        Set<String> given = Set.of(request.header("webhook-signature").split(" "));
        for (String secret : CallbackProfile.SIGNING_SECRETS) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                        "HmacSHA256"));
                mac.update(signed.getBytes(StandardCharsets.UTF_8));
                String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(request.body()));
                assertTrue(given.contains(expected), "no signature " + expected + " in " + given);
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(CallbackProfile.SIGNING_SECRETS.size(), given.size(), "one signature per secret");
    }
}
