package dev.asyncocr.api;

import dev.asyncocr.testing.ServiceReplicas;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One image, two roles, on RabbitMQ and Redis: an {@code api} replica takes jobs and loads no models, a
 * {@code worker} replica runs them and serves health and metrics only; split roles refuse to start on
 * the single-process defaults.
 */
class RoleSplitIT {

    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();

    @Test
    void anApiReplicaTakesTheJobAndAWorkerReplicaRunsIt() throws Exception {
        int workerPort = ServiceReplicas.freePort();
        int apiPort = ServiceReplicas.freePort();
        replicas.start(workerPort, "worker", Map.of("OCR_ROLE", "worker"));
        assertError(given().contentType("image/png").body(TestImages.text("NO").bytes()).when()
                .post("/ocr/async").then(), 404, "NOT_FOUND");
        given().when().get("/q/metrics").then().statusCode(200);
        // nor the page to try it, which Quarkus would serve ahead of the API's own role check
        assertError(given().when().get("/").then(), 404, "NOT_FOUND");
        assertError(given().when().get("/ui/page.js").then(), 404, "NOT_FOUND");

        replicas.start(apiPort, "api", Map.of("OCR_ROLE", "api"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'models' }.data.state", equalTo("not used by role api"));
        given().when().get("/").then().statusCode(200).header("Content-Security-Policy", WebPage.CONTENT_SECURITY_POLICY);
        String id = AsyncJobFlowContract.submit(TestImages.text("SPLIT 9").bytes(), "?det=false&cls=false");
        String text = AsyncJobFlowContract.awaitFinal(id, Duration.ofSeconds(60)).statusCode(200)
                .extract().path("text");
        assertEquals("SPLIT9", text.replace(" ", ""));
        assertFalse(replicas.log("api").contains("Loaded bundled"), "the api replica loaded the models");
        assertTrue(replicas.log("worker").contains("Loaded bundled"));
        RestAssured.port = workerPort;
        given().when().get("/ocr/result/" + id).then().statusCode(404);
    }

    @Test
    void splitRolesRefuseTheSingleProcessDefaults() throws Exception {
        Process worker = replicas.launch(ServiceReplicas.freePort(), "lonely", Map.of("OCR_ROLE", "worker",
                "OCR_QUEUE_URL", ""));
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "it started");
        assertTrue(worker.exitValue() != 0);
        assertTrue(replicas.log("lonely").contains("ocr.role=worker needs a broker shared with the other roles"),
                replicas.log("lonely"));
        Process api = replicas.launch(ServiceReplicas.freePort(), "memory", Map.of("OCR_ROLE", "api",
                "OCR_STORE_TYPE", "memory"));
        assertTrue(api.waitFor(60, TimeUnit.SECONDS), "it started");
        assertTrue(api.exitValue() != 0);
        assertTrue(replicas.log("memory").contains("ocr.role=api needs a store shared with the other roles"),
                replicas.log("memory"));
    }
}
