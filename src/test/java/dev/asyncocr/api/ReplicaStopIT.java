package dev.asyncocr.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.testing.RabbitRedisProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end on the packaged service with RabbitMQ and Redis: a replica killed (SIGKILL) in the middle of
 * a job loses nothing, as the broker redelivers the unsettled message to the next replica, which finishes
 * the job exactly once; a replica asked to stop (SIGTERM) finishes its job before it goes.
 */
class ReplicaStopIT {

    private static final Duration START_WITHIN = Duration.ofSeconds(60);
    private static final Duration FINISH_WITHIN = Duration.ofSeconds(120);
    private final String keyPrefix = "async-ocr-it-" + UUID.randomUUID() + ":";
    private final List<Process> replicas = new ArrayList<>();
    private Path logs;

    @BeforeEach
    void requireServices() throws IOException {
        RabbitRedisProfile.requireServices();
        logs = Files.createTempDirectory("async-ocr-it");
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(Process::destroyForcibly);
    }

    @Test
    void aJobWhoseWorkerWasKilledCompletesOnceOnTheNextReplica() throws Exception {
        int port = freePort();
        Process first = startReplica(port, "first");
        String id = given().contentType("image/png").body(busyPage()).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        awaitStatus(id, "processing");
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // mid-job: no shutdown hook, no settlement

        startReplica(port, "second");
        Response done = AsyncJobFlowContract.awaitFinal(id, FINISH_WITHIN).extract().response();
        assertEquals(200, done.statusCode(), done.asString());
        assertTrue(done.jsonPath().getString("text").contains("LINE 7"), done.asString());

        JsonNode stored = new ObjectMapper().readTree(redisGet(keyPrefix + "job:" + id));
        assertEquals("SUCCEEDED", stored.get("status").asText());
        assertEquals(2, stored.get("attempts").asInt(), "starts of the job: " + stored);
        assertEquals(null, redisGet(keyPrefix + "image:" + id), "the image outlived its job");
    }

    @Test
    void aReplicaAskedToStopFinishesItsJobFirst() throws Exception {
        Process replica = startReplica(freePort(), "stopped");
        String id = given().contentType("image/png").body(busyPage()).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        awaitStatus(id, "processing");
        replica.destroy(); // SIGTERM: stop taking messages, finish what runs within ocr.worker.shutdown-grace
        assertTrue(replica.waitFor(60, TimeUnit.SECONDS), "the replica did not stop");

        JsonNode stored = new ObjectMapper().readTree(redisGet(keyPrefix + "job:" + id));
        assertEquals("SUCCEEDED", stored.get("status").asText(), stored.toString());
        assertEquals(1, stored.get("attempts").asInt(), "starts of the job: " + stored);
    }

    private Process startReplica(int port, String name) throws Exception {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-jar", System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("OCR_QUEUE_URL", "amqp://guest:guest@" + RabbitRedisProfile.RABBITMQ_HOST + ":"
                + RabbitRedisProfile.RABBITMQ_PORT);
        env.put("OCR_QUEUE_ADDRESS", "/queue/async-ocr-it");
        env.put("OCR_STORE_TYPE", "redis");
        env.put("OCR_STORE_REDIS_KEY_PREFIX", keyPrefix);
        env.put("QUARKUS_REDIS_HOSTS", "redis://" + RabbitRedisProfile.REDIS_HOST + ":" + RabbitRedisProfile.REDIS_PORT);
        env.put("OCR_WORKER_CONCURRENCY", "1");
        env.put("OCR_WORKER_SHUTDOWN_GRACE", "120s"); // the busy page takes over 30 s on a slow 2-core machine
        Process process = builder.start();
        replicas.add(process);
        RestAssured.port = port;
        long deadline = System.nanoTime() + START_WITHIN.toNanos();
        while (true) {
            try {
                if (given().when().get("/q/health/ready").statusCode() == 200) {
                    return process;
                }
            } catch (Exception e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("replica " + name + " did not start: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static void awaitStatus(String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!status.equals(given().when().get("/ocr/result/" + id).path("status"))) {
            if (System.nanoTime() > deadline) {
                fail("job " + id + " never became " + status);
            }
            Thread.sleep(20);
        }
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

    private static String redisGet(String key) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            var value = Redis.createClient(vertx, "redis://" + RabbitRedisProfile.REDIS_HOST + ":"
                            + RabbitRedisProfile.REDIS_PORT)
                    .send(Request.cmd(Command.GET).arg(key)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return value == null ? null : value.toString();
        } finally {
            vertx.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
