package dev.asyncocr.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.testing.LocalServices;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The store contract against the real Redis on 127.0.0.1:6379; each test under its own key prefix. */
@QuarkusTest
class RedisJobStoreTest extends JobStoreContract {

    /** Long enough for every contract test to finish inside it, short enough to wait out. */
    private static final Duration REDIS_TTL = Duration.ofSeconds(3);

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void requireRedis() {
        LocalServices.require("Redis", "127.0.0.1", 6379);
    }

    @Override
    JobStore store() {
        return new RedisJobStore(redis, json, REDIS_TTL, "ocr-test:" + UUID.randomUUID() + ":");
    }

    @Override
    Instant now() {
        return Instant.now();
    }

    @Override
    Duration ttl() {
        return REDIS_TTL;
    }

    @Override
    void pass(Duration time) {
        try {
            Thread.sleep(time.toMillis()); // Redis expires keys by its own clock: the time has to pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
