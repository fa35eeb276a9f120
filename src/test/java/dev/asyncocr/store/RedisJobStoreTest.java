package dev.asyncocr.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.JobStore.Transition;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.testing.LocalServices;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract against the real Redis on 127.0.0.1:6379; each test under its own key prefix. */
@QuarkusTest
class RedisJobStoreTest extends JobStoreContract {

    /** Long enough for every contract test to finish inside it, short enough to wait out. */
    private static final Duration REDIS_TTL = Duration.ofSeconds(5);

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void requireRedis() {
        LocalServices.require("Redis", "127.0.0.1", 6379);
    }

    /** The key prefix of each store that {@link #store()} made. */
    private final Map<JobStore, String> prefixes = new IdentityHashMap<>();

    @Override
    JobStore store() {
        String prefix = "ocr-test:" + UUID.randomUUID() + ":";
        RedisJobStore store = replica(prefix);
        prefixes.put(store, prefix);
        return store;
    }

    @Override
    JobStore sameBackend(JobStore store) {
        return replica(prefixes.get(store));
    }

    /** A store as one replica holds it, on the keys under {@code prefix}. */
    private RedisJobStore replica(String prefix) {
        return new RedisJobStore(redis, json, REDIS_TTL, prefix, Duration.ofSeconds(10));
    }

    @Test
    void aReplicaDecidesOnTheStoredRecordWhenWhatItSawLastIsStale() {
        String prefix = "ocr-test:" + UUID.randomUUID() + ":";
        RedisJobStore a = replica(prefix);
        RedisJobStore b = replica(prefix);
        OcrJob job = a.create(queued(null), new byte[]{1});
        assertTrue(b.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING))
                .applied());
        Transition cancel = a.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertFalse(cancel.applied(), "a saw it queued, but b had started it");
        assertEquals(JobStatus.PROCESSING, cancel.job().status());
        assertTrue(b.transition(job.id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.QUEUED))
                .applied());
        assertTrue(a.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED))
                .applied(), "a saw it processing, but b had put it back in the queue");
        assertEquals(JobStatus.CANCELLED, b.get(job.id()).orElseThrow().status());
    }

    @Test
    void scriptsThatRedisForgotAreSentAgain() {
        JobStore store = store();
        store.queuedCount();
        redis.execute("SCRIPT", "FLUSH");
        OcrJob job = store.create(queued(null), new byte[]{1});
        assertEquals(1, store.queuedCount());
        assertTrue(store.start(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING))
                .transition().applied());
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
