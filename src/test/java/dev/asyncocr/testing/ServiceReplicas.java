package dev.asyncocr.testing;

import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;

/**
 * Replicas of the packaged service (the jar `mvn package` built) in the production shape: RabbitMQ and
 * Redis on 127.0.0.1, under a key prefix of their own; or, {@link #embedded()}, on its embedded defaults
 * with a fresh data folder. A test registers it with {@code @RegisterExtension}: each test gets fresh
 * replicas, all stopped after it.
 */
public final class ServiceReplicas implements BeforeEachCallback, AfterEachCallback {

    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    private final String keyPrefix = "async-ocr-it-" + UUID.randomUUID() + ":";
    private final boolean production;
    private final List<Process> running = new ArrayList<>();
    private Path logs;

    public ServiceReplicas() {
        this(true);
    }

    private ServiceReplicas(boolean production) {
        this.production = production;
    }

    /** Replicas with no settings beyond a test's own: embedded broker and file store, in {@link #dataDir()}. */
    public static ServiceReplicas embedded() {
        return new ServiceReplicas(false);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (production) {
            RabbitRedisProfile.requireServices();
        }
        logs = Files.createTempDirectory("async-ocr-it");
    }

    /** The data folder of embedded replicas: all of one test's share it. */
    public Path dataDir() {
        return logs.resolve("data");
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * Starts a replica on {@code port}, points RestAssured at it, and returns once it is ready.
     *
     * @param env configuration beyond the production shape, as environment variables
     */
    public Process start(int port, String name, Map<String, String> env) throws IOException, InterruptedException {
        Process process = launch(port, name, env);
        RestAssured.port = port;
        Readiness.awaitReady("replica " + name, process, START_WITHIN,
                () -> given().when().get("/q/health/ready").statusCode() == 200, () -> log(name));
        return process;
    }

    /** Starts a replica without waiting for it; an empty value in {@code env} removes that variable. */
    public Process launch(int port, String name, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-jar", System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar"))
                .redirectErrorStream(true).redirectOutput(logFile(name).toFile());
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        if (production) {
            environment.put("OCR_QUEUE_URL", "amqp://guest:guest@" + RabbitRedisProfile.RABBITMQ_HOST + ":"
                    + RabbitRedisProfile.RABBITMQ_PORT);
            environment.put("OCR_QUEUE_ADDRESS", RabbitRedisProfile.QUEUE_ADDRESS + "-it");
            environment.put("OCR_STORE_TYPE", "redis");
            environment.put("OCR_STORE_REDIS_KEY_PREFIX", keyPrefix);
            environment.put("QUARKUS_REDIS_HOSTS", "redis://" + RabbitRedisProfile.REDIS_HOST + ":"
                    + RabbitRedisProfile.REDIS_PORT);
        } else {
            environment.put("OCR_DATA_DIR", dataDir().toString());
        }
        environment.put("OCR_WORKER_CONCURRENCY", "1");
        environment.putAll(env);
        environment.values().removeIf(String::isEmpty);
        Process process = builder.start();
        running.add(process);
        return process;
    }

    public Path logFile(String name) {
        return logs.resolve(name + ".log");
    }

    /** What a replica has written so far. */
    public String log(String name) throws IOException {
        return Files.readString(logFile(name));
    }

    /** Kills a replica at once (SIGKILL): no shutdown hook runs, nothing is settled. */
    public static void kill(Process replica) throws InterruptedException {
        replica.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** A key of this run's replicas, read straight from Redis; null when absent. */
    public String redisGet(String key) throws Exception {
        Response value = redis(Request.cmd(Command.GET).arg(keyPrefix + key));
        return value == null ? null : value.toString();
    }

    /** A hash of this run's replicas, read straight from Redis: field to value, empty when absent. */
    public Map<String, String> redisHash(String key) throws Exception {
        Response value = redis(Request.cmd(Command.HGETALL).arg(keyPrefix + key));
        Map<String, String> hash = new TreeMap<>();
        value.getKeys().forEach(field -> hash.put(field, value.get(field).toString()));
        return hash;
    }

    /**
     * Sends one command to the replicas' Redis on a client kept for the run: a Vert.x instance made for each read
     * took hundreds of milliseconds on CI, long enough for what a test polls for to be over when it acts on it.
     */
    public static Response redis(Request request) throws Exception {
        return SharedRedis.CLIENT.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The client, made on first use. */
    private static final class SharedRedis {
        static final Redis CLIENT = Redis.createClient(Vertx.vertx(), "redis://" + RabbitRedisProfile.REDIS_HOST + ":"
                + RabbitRedisProfile.REDIS_PORT);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        running.forEach(Process::destroyForcibly);
    }
}
