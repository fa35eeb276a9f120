package dev.asyncocr.api;

import dev.asyncocr.testing.RabbitRedisProfile;
import dev.asyncocr.testing.ServiceReplicas;
import dev.asyncocr.testing.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Readiness follows the Redis store: cut the connection (a proxy in front of the real Redis) and the
 * {@code store} check goes down, and the replica with it; restore it and both come back.
 */
@QuarkusTest
@TestProfile(StoreHealthTest.RedisBehindAProxy.class)
class StoreHealthTest {

    private static final String PORT_PROPERTY = "test.redis-proxy-port";
    private static TcpProxy proxy;

    /** The embedded broker, and Redis reached through a proxy the test holds (started before any use). */
    public static class RedisBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = Integer.getInteger(PORT_PROPERTY, 0);
            if (port == 0) {
                port = ServiceReplicas.freePort();
                System.setProperty(PORT_PROPERTY, String.valueOf(port));
            }
            try {
                return Map.of("ocr.store.type", "redis",
                        "ocr.store.redis-key-prefix", "async-ocr-health-" + UUID.randomUUID() + ":",
                        "quarkus.redis.hosts", "redis://127.0.0.1:" + port,
                        "ocr.data-dir", Files.createTempDirectory("async-ocr-health").toString()); // the broker's journal
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeAll
    static void openTheProxy() {
        RabbitRedisProfile.requireServices();
        proxy = new TcpProxy(Integer.getInteger(PORT_PROPERTY), RabbitRedisProfile.REDIS_HOST,
                RabbitRedisProfile.REDIS_PORT);
    }

    @AfterAll
    static void closeTheProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theStoreCheckGoesDownWithRedisAndComesBackWithIt() throws Exception {
        EmbeddedAsyncJobFlowTest.awaitCheck("/q/health/ready", "store", "UP");
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'store' }.data.type", equalTo("redis"));
        proxy.close();
        try {
            EmbeddedAsyncJobFlowTest.awaitCheck("/q/health/ready", "store", "DOWN");
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'broker' }.status", equalTo("UP"));
        } finally {
            proxy.open();
        }
        EmbeddedAsyncJobFlowTest.awaitCheck("/q/health/ready", "store", "UP");
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
