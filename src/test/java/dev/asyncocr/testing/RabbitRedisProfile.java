package dev.asyncocr.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@link ControlledWorkerProfile} on the production setup: RabbitMQ (AMQP 1.0 plugin) and Redis on
 * 127.0.0.1, as `.ci/run` starts them. Keys are private to this run; the queue is a durable test queue.
 */
public class RabbitRedisProfile extends ControlledWorkerProfile {

    public static final String RABBITMQ_HOST = "127.0.0.1";
    public static final int RABBITMQ_PORT = 5672;
    public static final String REDIS_HOST = "127.0.0.1";
    public static final int REDIS_PORT = 6379;
    /** Builds that share one RabbitMQ at the same time each name their own queue (-Dtest.amqp.queue=...). */
    public static final String QUEUE_ADDRESS = System.getProperty("test.amqp.queue", "/queue/async-ocr-test");
    private static final String KEY_PREFIX = "async-ocr-test-" + UUID.randomUUID() + ":";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("ocr.queue.url", "amqp://guest:guest@" + RABBITMQ_HOST + ":" + RABBITMQ_PORT);
        config.put("ocr.queue.address", QUEUE_ADDRESS);
        config.put("ocr.store.type", "redis");
        config.put("ocr.store.redis-key-prefix", KEY_PREFIX);
        config.put("ocr.store.result-ttl", "10m");
        config.put("quarkus.redis.hosts", "redis://" + REDIS_HOST + ":" + REDIS_PORT);
        return config;
    }

    /** Skips (fails on CI) unless both services run. */
    public static void requireServices() {
        LocalServices.require("RabbitMQ", RABBITMQ_HOST, RABBITMQ_PORT);
        LocalServices.require("Redis", REDIS_HOST, REDIS_PORT);
    }
}
