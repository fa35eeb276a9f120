package dev.asyncocr.api;

import dev.asyncocr.messaging.EmbeddedBroker;
import dev.asyncocr.testing.ControlledWorkerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The job flow on the embedded defaults: in-process Artemis and the in-memory store. */
@QuarkusTest
@TestProfile(ControlledWorkerProfile.class)
class EmbeddedAsyncJobFlowTest extends AsyncJobFlowContract {

    @Inject
    Optional<EmbeddedBroker> embedded;

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
        } finally {
            broker.start();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Response answer = given().contentType("image/png").body(image).when().post("/ocr/async");
            if (answer.statusCode() == 202) {
                awaitFinal(answer.path("request_id")).statusCode(200);
                return;
            }
            assertJobError(answer.then(), 503, "BROKER_UNAVAILABLE", null);
            if (System.nanoTime() > deadline) {
                fail("still refused 30 s after the broker came back");
            }
            Thread.sleep(200);
        }
    }
}
