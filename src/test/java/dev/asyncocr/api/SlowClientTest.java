package dev.asyncocr.api;

import dev.asyncocr.testing.ControlledWorkerProfile;
import dev.asyncocr.testing.RawHttp;
import dev.asyncocr.worker.ControlledRecognizer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that send slowly or stop sending: a connection that sends nothing for the idle timeout is closed,
 * whatever it was in the middle of, while an upload that keeps moving and a long poll are not cut.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortIdleTimeout.class)
class SlowClientTest {

    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(6);
    /** ocr.api.sync-timeout here (named apart from the profile's own, which the profile class would see first). */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(3);

    /** The controlled worker with short timeouts, the idle one just above the longest wait it allows. */
    public static class ShortIdleTimeout extends ControlledWorkerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("quarkus.http.idle-timeout", IDLE_TIMEOUT.toSeconds() + "s");
            config.put("ocr.api.sync-timeout", LONGEST_WAIT.toSeconds() + "s");
            return config;
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    ControlledRecognizer recognizer;

    @AfterEach
    void release() {
        recognizer.reset();
    }

    @Test
    void aRequestWhoseHeadNeverFinishesIsClosedAfterTheIdleTimeout() throws Exception {
        for (String unfinished : new String[] {"GET /q/health/live HT", "GET /q/health/live HTTP/1.1\r\nX-Slow: 1\r\n"}) {
            try (RawHttp raw = new RawHttp(base)) {
                raw.bytes(unfinished.getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                assertTrue(raw.closedByServer());
                Duration held = Duration.ofNanos(System.nanoTime() - start);
                // the socket's own read timeout (60 s) would also end the read: the server must close well before
                assertTrue(held.compareTo(IDLE_TIMEOUT.multipliedBy(4)) < 0, "held " + held + " for " + unfinished);
            }
        }
    }

    @Test
    void anUploadThatKeepsMovingIsNotCutThoughItTakesLongerThanTheIdleTimeout() throws Exception {
        byte[] image = TestImages.text("SLOW 7").bytes();
        int pieces = 8;
        Duration pause = IDLE_TIMEOUT.dividedBy(4);
        try (RawHttp raw = new RawHttp(base)) {
            raw.head("POST /ocr/async HTTP/1.1", "Content-Type: image/png", "Content-Length: " + image.length);
            int piece = (image.length + pieces - 1) / pieces;
            for (int from = 0; from < image.length; from += piece) {
                Thread.sleep(pause.toMillis()); // the slow client itself, not a wait for the service
                raw.bytes(Arrays.copyOfRange(image, from, Math.min(image.length, from + piece)));
            }
            RawHttp.Reply reply = raw.read();
            assertEquals(202, reply.status(), reply.body());
        }
    }

    @Test
    void aLongPollIsAnsweredNotCut() throws Exception {
        byte[] image = TestImages.text("HELD 9").bytes();
        recognizer.hold(image);
        String id = given().contentType("image/png").body(image).when().post("/ocr/async").then().statusCode(202)
                .extract().path("request_id");
        try (RawHttp raw = new RawHttp(base)) {
            raw.head("GET /ocr/result/" + id + "?wait=" + LONGEST_WAIT.toSeconds() + " HTTP/1.1");
            RawHttp.Reply reply = raw.read();
            assertEquals(202, reply.status(), reply.body());
        }
    }

    @Test
    void startUpRefusesAnIdleTimeoutThatWouldCutLongWaits() {
        IdleTimeoutCheck.check(Duration.ofSeconds(45), Duration.ofSeconds(30));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> IdleTimeoutCheck.check(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        assertTrue(refused.getMessage().contains("ocr.api.sync-timeout"), refused.getMessage());
    }
}
