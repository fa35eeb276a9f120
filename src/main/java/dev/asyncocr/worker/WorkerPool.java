package dev.asyncocr.worker;

import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.job.JobHandler;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.JobService;
import dev.asyncocr.observability.OcrMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs on the shared predictor, at most {@code ocr.worker.concurrency} at once: this pool's
 * threads are the only ones that run inference, so the bound holds whatever the broker delivers.
 */
@Singleton
public class WorkerPool implements JobHandler {

    private final JobService jobs;
    private final JobService.Recognizer recognizer;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final OcrMetrics metrics;

    public WorkerPool(JobService jobs, JobService.Recognizer recognizer, WorkerConfig config, OcrMetrics metrics) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.recognizer = recognizer;
        this.executor = Executors.newFixedThreadPool(config.concurrency(), threads());
    }

    @Override
    public Uni<JobService.Outcome> handle(JobMessage message) {
        return Uni.createFrom().item(() -> run(message)).runSubscriptionOn(executor);
    }

    /** Jobs running now. */
    public int inFlight() {
        return inFlight.get();
    }

    @PreDestroy
    void close() {
        executor.shutdownNow(); // the consumer has drained or given up by now
    }

    private JobService.Outcome run(JobMessage message) {
        metrics.batch(1); // one job at a time until micro-batching
        inFlight.incrementAndGet();
        try {
            return jobs.process(message, recognizer);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "ocr-worker-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
