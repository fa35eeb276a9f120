package dev.asyncocr.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.Lane;
import dev.asyncocr.testing.CallbackProfile;
import dev.asyncocr.testing.ControlledWorkerProfile;
import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import dev.asyncocr.testing.TestDocuments;
import dev.asyncocr.worker.ControlledRecognizer;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.asyncocr.api.AsyncJobFlowContract.awaitFinal;
import static dev.asyncocr.api.ErrorAssertions.assertError;
import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /}: OCR requests as CloudEvents, in binary and structured mode, through the whole async
 * path to the completion event; redeliveries; and the events refused.
 */
@QuarkusTest
@TestProfile(CallbackProfile.class)
class EventIngressTest extends CallbackReceivers {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String REQUESTED = "dev.asyncocr.ocr.requested";
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    ControlledRecognizer recognizer;
    @Inject
    JobStore store;

    @Test
    void aBinaryModeEventIsRecognisedAndAnsweredWithAnAcceptedEvent() throws Exception {
        byte[] image = TestImages.text("BINARY 11").bytes();
        ExtractableResponse<Response> accepted = binary(image, Map.of("ce-callbackurl", receiver.url("/binary")))
                .when().post("/").then().statusCode(202).extract();
        String id = accepted.path("request_id");
        assertEquals("submitted", accepted.path("status"));
        assertEquals(Lane.NORMAL, store.get(id).orElseThrow().schedule().lane(), "the default lane");
        assertTrue(accepted.header("Location").endsWith("/ocr/result/" + id));
        assertEquals("dev.asyncocr.ocr.accepted", accepted.header("ce-type"), "the reply is a CloudEvent");
        assertEquals(id, accepted.header("ce-subject"));
        assertEquals("1.0", accepted.header("ce-specversion"));

        CloudEvent completed = receiver.await(EventReceiver.about(id), 1, WITHIN).get(0).event();
        assertEquals("dev.asyncocr.ocr.completed", completed.getType());
        String text = json.readTree(completed.getData().toBytes()).get("text").asText();
        assertEquals("BINARY11", text.replace(" ", ""), "options from the ocrdet/ocrcls extensions: one line");
    }

    @Test
    void aStructuredModeEventCarriesTheImageAsDataBase64() throws Exception {
        ObjectNode event = json.createObjectNode()
                .put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/tests/scanner")
                .put("type", REQUESTED).put("datacontenttype", "image/png")
                .put("data_base64", Base64.getEncoder().encodeToString(TestImages.text("STRUCTURED 12").bytes()))
                .put("ocrdet", false).put("ocrcls", false).put("callbackurl", receiver.url("/structured"))
                .put("ocrpriority", "high");
        String id = given().contentType("application/cloudevents+json").body(json.writeValueAsBytes(event))
                .when().post("/").then().statusCode(202).extract().path("request_id");
        assertEquals(Lane.HIGH, store.get(id).orElseThrow().schedule().lane(), "from the ocrpriority extension");
        CloudEvent completed = receiver.await(EventReceiver.about(id), 1, WITHIN).get(0).event();
        String text = json.readTree(completed.getData().toBytes()).get("text").asText();
        assertEquals("STRUCTURED12", text.replace(" ", ""));
    }

    @Test
    void aRedeliveredEventCreatesNoSecondJob() {
        byte[] image = TestImages.text("ONCE 13").bytes();
        String eventId = UUID.randomUUID().toString();
        String first = binary(eventId, image).when().post("/").then().statusCode(202).extract().path("request_id");
        String again = binary(eventId, image).when().post("/").then().statusCode(202).extract().path("request_id");
        assertEquals(first, again, "the event's source and id are its idempotency key");
        awaitFinal(first).statusCode(200);
        assertEquals(1, recognizer.runs(image));
        String other = binary(UUID.randomUUID().toString(), image).when().post("/").then().statusCode(202)
                .extract().path("request_id");
        assertTrue(!other.equals(first), "another event id is another job");
        awaitFinal(other).statusCode(200);
    }

    @Test
    void malformedEventsAreRefusedWithTheReason() {
        byte[] image = TestImages.text("NO").bytes();
        assertError(given().contentType("image/png").body(image).when().post("/").then(), 400, "EVENT_MALFORMED");
        assertError(given().contentType("application/cloudevents+json").body("{\"specversion\":\"1.0\",")
                .when().post("/").then(), 400, "EVENT_MALFORMED");
        assertError(binary(image, Map.of("ce-id", "")).when().post("/").then(), 400, "EVENT_MALFORMED");
        assertError(binary(image, Map.of("ce-specversion", "0.1")).when().post("/").then(), 400, "EVENT_MALFORMED");
    }

    @Test
    void eventsThatAreNotRequestsOrCarryBadOptionsAreRefused() {
        byte[] image = TestImages.text("NO").bytes();
        assertError(binary(image, Map.of("ce-type", "com.example.other")).when().post("/").then(), 400,
                "EVENT_TYPE_UNSUPPORTED");
        assertError(binary(new byte[0], Map.of()).when().post("/").then(), 400, "IMAGE_MISSING");
        assertError(binary(image, Map.of("ce-ocrrec", "maybe")).when().post("/").then(), 400, "INVALID_PARAMETER");
        assertError(binary(image, Map.of("Content-Type", "text/plain")).when().post("/").then(), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertError(binary(image, Map.of("ce-callbackurl", "ftp://127.0.0.1/")).when().post("/").then(), 400,
                "INVALID_CALLBACK_URL");
        assertError(binary("plain text".getBytes(StandardCharsets.UTF_8), Map.of()).when().post("/").then(), 400,
                "IMAGE_UNDECODABLE");
    }

    @Test
    void anEventWhoseDeadlinePassesBeforeAWorkerTakesItEndsInAnExpiredEvent() throws Exception {
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < ControlledWorkerProfile.CONCURRENCY; i++) {
            byte[] image = TestImages.text("BUSY " + i).bytes();
            recognizer.hold(image);
            binary(image, Map.of()).when().post("/").then().statusCode(202);
            held.add(image);
        }
        for (byte[] image : held) {
            assertTrue(recognizer.awaitHeld(image, WITHIN), "a held job never reached a worker");
        }
        byte[] late = TestImages.text("LATE 14").bytes();
        try {
            String id = binary(late, Map.of("ce-ocrdeadline", Instant.now().plusSeconds(3).toString(),
                    "ce-callbackurl", receiver.url("/late"))).when().post("/").then().statusCode(202).extract()
                    .path("request_id");
            assertJobError(awaitFinal(id), 410, "JOB_EXPIRED", id);
            CloudEvent expired = receiver.await(EventReceiver.about(id), 1, WITHIN).get(0).event();
            assertEquals("dev.asyncocr.ocr.expired", expired.getType());
            JsonNode data = json.readTree(expired.getData().toBytes());
            assertEquals("JOB_EXPIRED", data.at("/error/code").asText());
            assertEquals("expired", data.get("status").asText());
        } finally {
            recognizer.releaseAll();
        }
        for (String bad : List.of("soon", "2020-01-01T00:00:00Z")) {
            assertError(binary(late, Map.of("ce-ocrdeadline", bad)).when().post("/").then(), 400, "INVALID_PARAMETER");
        }
        assertError(binary(late, Map.of("ce-ocrpriority", "urgent")).when().post("/").then(), 400, "INVALID_PARAMETER");
        assertEquals(0, recognizer.runs(late), "the engine ran a job past its deadline");
    }

    @Test
    void anEventNamingItsTenantIsRefusedWithoutTheIngressToken() {
        // anyone who reaches the ingress could name any tenant: here no token is configured, so none is taken
        assertError(binary(TestImages.text("TENANT 13").bytes(), Map.of("ce-ocrtenant", "billing")).when().post("/")
                .then(), 400, "INVALID_PARAMETER");
    }

    @Test
    void aDocumentsEventAskingForPageEventsGetsOneEventPerPageAndItsCompletion() {
        byte[] pdf = TestDocuments.pdf(null, doc -> {
            TestDocuments.vectorPage(doc, "PAGE ONE");
            TestDocuments.vectorPage(doc, "PAGE TWO");
        });
        String id = binary(pdf, Map.of("Content-Type", "application/pdf", "ce-ocrpageevents", "true",
                "ce-callbackurl", receiver.url("/pages"))).when().post("/").then().statusCode(202).extract()
                .path("request_id");
        List<CloudEvent> events = receiver.await(EventReceiver.about(id), 3, WITHIN).stream().map(Received::event)
                .toList();
        assertEquals(Set.of(id + ".page.1.succeeded", id + ".page.2.succeeded"), events.stream()
                .filter(e -> e.getType().equals("dev.asyncocr.ocr.page.completed")).map(CloudEvent::getId)
                .collect(Collectors.toSet()), "one event per page");
        assertEquals(1, events.stream().filter(e -> e.getType().equals("dev.asyncocr.ocr.completed")).count());
        assertError(binary(pdf, Map.of("Content-Type", "application/pdf", "ce-ocrpageevents", "maybe")).when()
                .post("/").then(), 400, "INVALID_PARAMETER");
    }

    private static RequestSpecification binary(String eventId, byte[] image) {
        return binary(image, Map.of("ce-id", eventId));
    }

    /** A binary-mode request event, with some headers replaced (an empty value drops the header). */
    private static RequestSpecification binary(byte[] image, Map<String, String> changed) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "image/png", "ce-specversion", "1.0",
                "ce-id", UUID.randomUUID().toString(), "ce-source", "/tests/scanner", "ce-type", REQUESTED,
                "ce-ocrdet", "false", "ce-ocrcls", "false"));
        headers.putAll(changed);
        headers.values().removeIf(String::isEmpty);
        return given().headers(headers).body(image);
    }
}
