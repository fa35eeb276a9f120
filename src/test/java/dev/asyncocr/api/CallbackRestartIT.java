package dev.asyncocr.api;

import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import dev.asyncocr.testing.ServiceReplicas;
import io.cloudevents.CloudEvent;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the packaged service with RabbitMQ and Redis: a completion event whose receiver is down
 * stays pending in Redis when the replica that finished the job dies, and the next replica delivers it
 * once the receiver is back.
 */
class CallbackRestartIT {

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final Map<String, String> ENV = Map.of(
            "OCR_CALLBACK_ALLOW_PRIVATE_TARGETS", "true",
            "OCR_CALLBACK_SIGNING_SECRETS", "whsec_c2lnbmluZyBrZXkgb2YgdGhlIHJlc3RhcnQgdGVzdA==",
            "OCR_CALLBACK_INITIAL_BACKOFF", "500ms",
            "OCR_CALLBACK_MAX_BACKOFF", "2s",
            "OCR_CALLBACK_MAX_ATTEMPTS", "1000",
            "OCR_CALLBACK_POLL_INTERVAL", "200ms");
    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();

    @Test
    void anEventMissedBeforeACrashIsDeliveredByTheNextReplica() throws Exception {
        int port = ServiceReplicas.freePort();
        int receiverPort = ServiceReplicas.freePort(); // nobody listens there yet
        Process first = replicas.start(port, "first", ENV);
        String id = given().contentType("image/png").body(TestImages.text("AFTER THE CRASH").bytes())
                .queryParam("det", false).queryParam("cls", false)
                .queryParam("callback_url", "http://127.0.0.1:" + receiverPort + "/hook")
                .when().post("/ocr/async").then().statusCode(202).extract().path("request_id");
        JsonPath missed = awaitCallback(id, job -> job.getInt("deliveries[0].attempts") >= 2);
        assertEquals("pending", missed.getString("deliveries[0].state"), missed.prettify());
        assertTrue(missed.getString("deliveries[0].last_error").contains("connect"), missed.prettify());
        ServiceReplicas.kill(first);

        try (EventReceiver receiver = new EventReceiver(receiverPort)) {
            replicas.start(port, "second", ENV);
            Received request = receiver.await(EventReceiver.about(id), 1, WITHIN).get(0);
            CloudEvent event = request.event();
            assertEquals("dev.asyncocr.ocr.completed", event.getType());
            assertEquals(id, event.getSubject());
            JsonPath delivered = awaitCallback(id, job -> "delivered".equals(job.getString("deliveries[0].state")));
            assertEquals(200, delivered.getInt("deliveries[0].last_status"));
            assertTrue(delivered.getInt("deliveries[0].attempts") > missed.getInt("deliveries[0].attempts"));
            assertEquals("AFTERTHECRASH", delivered.getString("text").replace(" ", ""));
        }
    }

    /** Polls the job until its callback delivery satisfies {@code done}. */
    private static JsonPath awaitCallback(String id, java.util.function.Predicate<JsonPath> done) {
        return JsonPath.from(await("the callback of job " + id + " to get there").atMost(WITHIN)
                .pollInterval(Duration.ofMillis(100)).until(() -> given().when().get("/ocr/result/" + id).asString(),
                        job -> JsonPath.from(job).get("deliveries") != null && done.test(JsonPath.from(job))));
    }
}
