package dev.asyncocr.api;

import dev.asyncocr.job.JobFinishedListener;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long polls and synchronous calls: waits for a job to become final without holding a thread. This
 * replica's own finish completes a wait at once (on the finishing thread), and the store is read again
 * every {@link #POLL} for jobs that another replica finishes.
 */
@Singleton
public class JobWaiter implements JobFinishedListener {

    /** How often a waiting caller looks at the store, for jobs finished by another replica. */
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(1);

    private final JobStore store;
    /** Waits on this replica by job id, completed when this replica finishes their job. */
    private final Map<String, CompletableFuture<OcrJob>> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    public JobWaiter(JobStore store) {
        this.store = store;
    }

    /**
     * Completes when the job is final, past its deadline while queued, or the timeout passes, with the job as it
     * then is; empty when it is unknown or expired. Reads the store first on the subscribing thread, later on Mutiny's worker pool.
     */
    public Uni<Optional<OcrJob>> awaitFinal(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return Uni.createFrom().deferred(() -> {
            waiting.incrementAndGet();
            CompletableFuture<OcrJob> done = waiters.computeIfAbsent(id, k -> new CompletableFuture<>());
            return look(id, done, deadline).onTermination().invoke(() -> {
                waiters.remove(id, done);
                waiting.decrementAndGet();
            });
        });
    }

    /** Calls now waiting for their job (none of them holds a thread). */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void finished(OcrJob job) {
        CompletableFuture<OcrJob> waiter = waiters.get(job.id());
        if (waiter != null) {
            waiter.complete(job);
        }
    }

    /** {@link #untilFinal} at subscription, so that a store failing the read fails the Uni (and lets go of it). */
    private Uni<Optional<OcrJob>> look(String id, CompletableFuture<OcrJob> done, long deadline) {
        return Uni.createFrom().deferred(() -> untilFinal(id, done, deadline));
    }

    private Uni<Optional<OcrJob>> untilFinal(String id, CompletableFuture<OcrJob> done, long deadline) {
        Optional<OcrJob> job = store.get(id);
        long left = deadline - System.nanoTime();
        // Vert.x refuses a timer under a millisecond: that close to the deadline, the job is answered as it is
        // a job past its deadline is answered too: the caller's read expires it (JobService#find)
        if (job.isEmpty() || job.get().status().isFinal() || job.get().missedDeadline(Instant.now())
                || left < SHORTEST_WAIT.toNanos()) {
            return Uni.createFrom().item(job);
        }
        // a copy, so that giving up on it does not cancel the future other callers share
        return Uni.createFrom().completionStage(done.copy()).map(Optional::of)
                .ifNoItem().after(Duration.ofNanos(Math.min(left, POLL.toNanos())))
                .recoverWithUni(() -> look(id, done, deadline)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())); // the timer fires on an event loop
    }
}
