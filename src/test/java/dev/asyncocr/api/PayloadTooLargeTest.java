package dev.asyncocr.api;

import dev.asyncocr.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies over the limits, sent for real: the answer is always the JSON error, whichever layer refuses
 * the body, and the service goes on serving.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayloadTooLargeTest {

    /** ocr.api.max-bytes, by default. */
    private static final int MAX_BYTES = 20 * 1024 * 1024;
    /** quarkus.http.limits.max-body-size as application.properties sets it (51M). */
    private static final int PLATFORM_LIMIT = 51 * 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    @Test
    @Order(1)
    void rawBodyOverThePlatformLimit() {
        assertError(given().contentType("application/octet-stream").body(new byte[PLATFORM_LIMIT + 1024 * 1024])
                .when().post("/ocr").then(), 413, "PAYLOAD_TOO_LARGE");
    }

    /** A multipart upload with a declared length, as curl -F sends it. */
    @Test
    @Order(1)
    void multipartOverThePlatformLimit() throws IOException {
        String boundary = "asyncocr-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long image = PLATFORM_LIMIT + 1024 * 1024;
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr HTTP/1.1", "Content-Type: multipart/form-data; boundary=" + boundary,
                    "Content-Length: " + (head.length + image + tail.length));
            http.bytes(head);
            http.zeros(image);
            http.bytes(tail);
            assertPayloadTooLarge(http.read());
        }
    }

    @Test
    @Order(1)
    void imageOverMaxBytesButInsideThePlatformLimit() {
        byte[] image = new byte[MAX_BYTES + 1];
        assertError(given().contentType("image/png").body(image)
                .when().post("/ocr").then(), 413, "PAYLOAD_TOO_LARGE")
                .body("error.message", containsString(String.valueOf(MAX_BYTES)));
        assertError(given().multiPart("image", "big.png", image, "image/png")
                .when().post("/ocr").then(), 413, "PAYLOAD_TOO_LARGE")
                .body("error.message", containsString(String.valueOf(MAX_BYTES)));
    }

    /** A client that writes its whole body before reading gets the answer, and may reuse the connection. */
    @Test
    @Order(1)
    void writeFirstClientReadsTheAnswerAndKeepsTheConnection() throws IOException {
        long length = PLATFORM_LIMIT + 3L * 1024 * 1024;
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr HTTP/1.1", "Content-Type: image/png", "Content-Length: " + length);
            http.zeros(length);
            RawHttp.Reply reply = http.read();
            assertPayloadTooLarge(reply);

            http.head("GET /q/health/live HTTP/1.1");
            assertEquals(200, http.read().status());
        }
    }

    @Test
    @Order(1)
    void expectContinueClientGetsTheAnswerWithoutSendingTheBody() throws IOException {
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr HTTP/1.1", "Content-Type: image/png", "Content-Length: 1073741824",
                    "Expect: 100-continue");
            assertPayloadTooLarge(http.read());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    @Order(1)
    void hugeDeclaredBodyIsAnsweredAtOnceAndTheConnectionClosed() throws IOException {
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr HTTP/1.1", "Content-Type: image/png", "Content-Length: 10737418240");
            http.zeros(64 * 1024);
            assertPayloadTooLarge(http.read());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    @Order(1)
    void chunkedRawBodyOverMaxBytes() throws IOException {
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr HTTP/1.1", "Content-Type: image/png", "Transfer-Encoding: chunked");
            http.chunkedZeros(MAX_BYTES + 1);
            assertPayloadTooLarge(http.read());
        }
    }

    /**
     * A chunked body has no declared length to check up front: past the platform limit Quarkus itself
     * cuts the stream with a bodiless 413 and closes the connection (documented in the README).
     */
    @Test
    @Order(1)
    void chunkedBodyOverThePlatformLimitIsCutAndLogsNoError() throws IOException {
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> cuts = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + record.getMessage());
                } else if (record.getLoggerName().equals(RequestSizeGuard.class.getName())) {
                    cuts.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Logger guard = Logger.getLogger(RequestSizeGuard.class.getName());
        Level guardLevel = guard.getLevel();
        guard.setLevel(Level.FINE);
        root.addHandler(capture);
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr HTTP/1.1", "Content-Type: image/png", "Transfer-Encoding: chunked");
            try {
                http.chunkedZeros(PLATFORM_LIMIT + 3L * 1024 * 1024);
            } catch (IOException expected) {
                // the server may close while we are still writing
            }
            assertEquals(413, http.read().status());
            assertTrue(http.closedByServer());
            // the resource reading the body fails after the cut, when it tries to answer: at DEBUG, or as an ERROR
            await("the resource's late failure logged").atMost(Duration.ofSeconds(30))
                    .until(() -> !cuts.isEmpty() || !errors.isEmpty());
        } finally {
            root.removeHandler(capture);
            guard.setLevel(guardLevel);
        }
        assertEquals(List.of(), errors, "a client's oversized upload is not the service's error");
    }

    @Test
    @Order(2)
    void theServiceStillServes() {
        TestImages.Png hello = TestImages.text("HELLO WORLD 2026");
        given().multiPart("image", "hello.png", hello.bytes(), "image/png")
                .when().post("/ocr")
                .then().statusCode(200);
    }

    private static void assertPayloadTooLarge(RawHttp.Reply reply) {
        assertEquals(413, reply.status(), () -> "reply " + reply);
        assertTrue(reply.headers().getOrDefault("content-type", "").startsWith("application/json"), () -> "reply " + reply);
        JsonPath body = new JsonPath(reply.body());
        assertEquals("PAYLOAD_TOO_LARGE", body.getString("error.code"), () -> "reply " + reply);
        assertTrue(!body.getString("error.message").isBlank(), () -> "reply " + reply);
        assertTrue(body.getMap("").containsKey("request_id"), () -> "reply " + reply);
    }
}
