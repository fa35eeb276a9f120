package dev.asyncocr.store;

import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.JobStore.Transition;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link JobStore} must do; each implementation's test runs these against the real backend. */
abstract class JobStoreContract {

    static final Duration TTL = Duration.ofMinutes(10);

    final MutableClock clock = new MutableClock();

    /** A fresh, empty store with {@link #TTL} and {@link #clock}. */
    abstract JobStore store();

    /** Now, as the store under test reckons expiry. */
    Instant now() {
        return clock.instant();
    }

    /** Lets the store's TTL pass. */
    void passTtl() {
        clock.advance(TTL.plusSeconds(1));
    }

    OcrJob queued(String key) {
        return new OcrJob(UUID.randomUUID().toString(), JobStatus.QUEUED, OcrOptions.ALL, null, key, "digest",
                now(), null, null, 0, null, null);
    }

    static OcrJob withStatus(OcrJob job, JobStatus status) {
        return new OcrJob(job.id(), status, job.options(), job.callbackUrl(), job.idempotencyKey(), job.imageSha256(),
                job.submittedAt(), job.startedAt(), job.finishedAt(), job.attempts() + 1, job.result(), job.error());
    }

    @Test
    void storesTheJobAndItsImage() {
        JobStore store = store();
        OcrJob job = queued(null);
        assertEquals(job, store.create(job, new byte[]{1, 2, 3}));
        assertEquals(job, store.get(job.id()).orElseThrow());
        assertArrayEquals(new byte[]{1, 2, 3}, store.image(job.id()).orElseThrow());
        store.deleteImage(job.id());
        assertTrue(store.image(job.id()).isEmpty());
        assertEquals(job, store.get(job.id()).orElseThrow(), "the record outlives the image");
        assertTrue(store.get("no-such-job").isEmpty());
    }

    @Test
    void jobsExpireAfterTheTtl() {
        JobStore store = store();
        OcrJob job = queued("key-expiring");
        store.create(job, new byte[]{1});
        assertTrue(store.get(job.id()).isPresent());
        passTtl();
        assertTrue(store.get(job.id()).isEmpty());
        assertTrue(store.image(job.id()).isEmpty());
        assertTrue(store.idempotentJobId("key-expiring").isEmpty());
        assertEquals(0, store.queuedCount());
        assertEquals(Transition.MISSING, store.transition(job.id(), EnumSet.allOf(JobStatus.class), j -> j));
    }

    @Test
    void anIdempotencyKeyBelongsToTheFirstJob() {
        JobStore store = store();
        OcrJob first = queued("key-1");
        OcrJob second = queued("key-1");
        assertEquals(first, store.create(first, new byte[]{1}));
        assertEquals(first, store.create(second, new byte[]{2}));
        assertTrue(store.get(second.id()).isEmpty(), "the second job is not stored");
        assertEquals(first.id(), store.idempotentJobId("key-1").orElseThrow());
        store.delete(first.id());
        assertTrue(store.idempotentJobId("key-1").isEmpty(), "deleting a job frees its key");
        assertEquals(second, store.create(second, new byte[]{2}));
    }

    @Test
    void transitionsApplyOnlyFromTheGivenStatuses() {
        JobStore store = store();
        OcrJob job = queued(null);
        store.create(job, new byte[]{1});
        Transition started = store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        assertTrue(started.applied());
        assertEquals(JobStatus.PROCESSING, started.job().status());
        Transition again = store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertFalse(again.applied());
        assertEquals(JobStatus.PROCESSING, again.job().status());
        assertEquals(JobStatus.PROCESSING, store.get(job.id()).orElseThrow().status());
        assertEquals(Transition.MISSING, store.transition("no-such-job", EnumSet.allOf(JobStatus.class), j -> j));
    }

    @Test
    void ofRacingTransitionsExactlyOneWins() throws Exception {
        JobStore store = store();
        int jobs = 20;
        int racers = 4;
        List<OcrJob> created = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            created.add(store.create(queued(null), new byte[]{1}));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> wins = new ArrayList<>();
            for (int r = 0; r < racers; r++) {
                JobStatus target = r % 2 == 0 ? JobStatus.CANCELLED : JobStatus.PROCESSING;
                wins.add(pool.submit(() -> {
                    go.await();
                    int won = 0;
                    for (OcrJob job : created) {
                        if (store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, target)).applied()) {
                            won++;
                        }
                    }
                    return won;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> w : wins) {
                total += w.get();
            }
            assertEquals(jobs, total, "each job left QUEUED exactly once");
            for (OcrJob job : created) {
                assertEquals(1, store.get(job.id()).orElseThrow().attempts(), "applied once: " + job.id());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void queuedCountFollowsTheStatuses() {
        JobStore store = store();
        OcrJob a = store.create(queued(null), new byte[]{1});
        OcrJob b = store.create(queued(null), new byte[]{1});
        store.create(queued(null), new byte[]{1});
        assertEquals(3, store.queuedCount());
        store.transition(a.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        store.transition(b.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertEquals(1, store.queuedCount());
        store.transition(a.id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.QUEUED));
        assertEquals(2, store.queuedCount(), "a job back in the queue counts again");
        store.delete(a.id());
        assertEquals(1, store.queuedCount());
    }
}
