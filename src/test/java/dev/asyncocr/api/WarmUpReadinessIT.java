package dev.asyncocr.api;

import dev.asyncocr.testing.ServiceReplicas;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A new replica is ready only once every model has run on the built-in warm-up page: readiness, asked
 * from the moment the process starts, is refused or DOWN (saying the models are loading and warming up)
 * and never UP before the warm-up's log line is written. The warm-up runs inside start-up, so the HTTP
 * port usually opens only after it and the probe sees no DOWN answer at all: it is printed.
 */
class WarmUpReadinessIT {

    private static final Duration START_WITHIN = Duration.ofSeconds(120);

    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();

    @Test
    void readinessTurnsUpOnlyAfterTheWarmUp() throws Exception {
        int port = ServiceReplicas.freePort();
        Process replica = replicas.launch(port, "cold", Map.of());
        RestAssured.port = port;
        long deadline = System.nanoTime() + START_WITHIN.toNanos();
        int down = 0;
        while (true) {
            Response ready = readiness();
            if (ready != null && ready.statusCode() == 200) {
                break;
            }
            if (ready != null) {
                down++;
                assertEquals(503, ready.statusCode(), ready.asString());
                String models = ready.path("checks.find { it.name == 'models' }.status");
                if ("DOWN".equals(models)) {
                    assertEquals("loading and warming up", ready.path("checks.find { it.name == 'models' }.data.state"));
                }
            }
            if (!replica.isAlive() || System.nanoTime() > deadline) {
                fail("the replica did not become ready: " + replicas.log("cold"));
            }
            Thread.sleep(50); // the next probe
        }
        System.out.printf("readiness answered DOWN %d times before UP%n", down);
        String log = replicas.log("cold");
        assertTrue(log.contains("warmed up in"), "UP before the warm-up was logged (" + down + " DOWN answers before): " + log);
    }

    /** The readiness answer, or null while the port is not listening yet. */
    private static Response readiness() {
        try {
            return given().when().get("/q/health/ready");
        } catch (Exception e) {
            return null;
        }
    }
}
