package dev.asyncocr.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.testing.ServiceReplicas;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the packaged service with RabbitMQ and Redis: a replica killed (SIGKILL) in the middle of
 * a job loses nothing, as the broker redelivers the unsettled message to the next replica, which finishes
 * the job exactly once; a replica asked to stop (SIGTERM) finishes its job before it goes.
 */
class ReplicaStopIT {

    private static final Duration FINISH_WITHIN = Duration.ofSeconds(120);
    /** The busy page takes 30 to 60 s on the 2-core machines CI runs on: the grace must outlast it. */
    private static final Duration GRACE = Duration.ofSeconds(120);
    private static final Map<String, String> ENV = Map.of("OCR_WORKER_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");
    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();

    @Test
    void aJobWhoseWorkerWasKilledCompletesOnceOnTheNextReplica() throws Exception {
        int port = ServiceReplicas.freePort();
        Process first = replicas.start(port, "first", ENV);
        String id = given().contentType("image/png").body(busyPage()).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        awaitStatus(id, "processing");
        ServiceReplicas.kill(first); // mid-job: no shutdown hook, no settlement

        replicas.start(port, "second", ENV);
        Response done = AsyncJobFlowContract.awaitFinal(id, FINISH_WITHIN).extract().response();
        assertEquals(200, done.statusCode(), done.asString());
        assertTrue(done.jsonPath().getString("text").contains("LINE 7"), done.asString());

        JsonNode stored = new ObjectMapper().readTree(replicas.redisGet("job:" + id));
        assertEquals("SUCCEEDED", stored.get("status").asText());
        assertEquals(2, stored.get("attempts").asInt(), "starts of the job: " + stored);
        assertNotNull(replicas.redisGet("image:" + id), "a succeeded job keeps its image until its result expires");
    }

    @Test
    void aReplicaAskedToStopFinishesItsJobFirst() throws Exception {
        Process replica = replicas.start(ServiceReplicas.freePort(), "stopped", ENV);
        String id = given().contentType("image/png").body(busyPage()).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        awaitStatus(id, "processing");
        replica.destroy(); // SIGTERM: stop taking messages, finish what runs within ocr.worker.shutdown-grace
        // it may take the whole grace; past it (and its own shutdown) it would have given the job up
        assertTrue(replica.waitFor(GRACE.toSeconds() + 30, TimeUnit.SECONDS), "the replica did not stop");

        JsonNode stored = new ObjectMapper().readTree(replicas.redisGet("job:" + id));
        assertEquals("SUCCEEDED", stored.get("status").asText(), stored.toString());
        assertEquals(1, stored.get("attempts").asInt(), "starts of the job: " + stored);
    }

    static void awaitStatus(String id, String status) {
        await("job " + id + " " + status).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().when().get("/ocr/result/" + id).path("status"), status::equals);
    }

    /** A large page of text lines: seconds of work on a CPU, long enough to be killed in the middle of. */
    private static byte[] busyPage() throws IOException {
        BufferedImage page = new BufferedImage(2400, 2400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
        for (int line = 0; line < 30; line++) {
            g.drawString("LINE " + line + " OF A PAGE THAT TAKES A WHILE", 60, 100 + line * 75);
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(page, "png", png);
        return png.toByteArray();
    }
}
