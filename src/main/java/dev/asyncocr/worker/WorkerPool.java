package dev.asyncocr.worker;

import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.job.JobHandler;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.JobService;
import dev.asyncocr.observability.JobTracing;
import dev.asyncocr.observability.OcrMetrics;
import dev.asyncocr.ocr.OcrResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
    /** When each running job started, by request id. */
    private final Map<String, Instant> running = new ConcurrentHashMap<>();
    private final JobTracing tracing;

    public WorkerPool(JobService jobs, JobService.Recognizer recognizer, WorkerConfig config, JobTracing tracing,
            OcrMetrics metrics) {
        this.jobs = jobs;
        this.tracing = tracing;
        this.recognizer = (image, options) -> { // with a span per stage, under the delivery's span
            Instant start = Instant.now();
            OcrResult result = recognizer.recognize(image, options);
            tracing.stages(start, result);
            return result;
        };
        this.executor = Executors.newFixedThreadPool(config.concurrency(), threads());
        metrics.inFlight(inFlight::get);
    }

    @Override
    public CompletionStage<JobService.Outcome> handle(JobMessage message, Map<String, ?> headers) {
        return Uni.createFrom().item(() -> {
            // the delivery's span continues the trace the message carries; the stages' spans go under it
            Span span = tracing.startProcessing(headers, message.requestId());
            try (Scope scope = span.makeCurrent()) {
                return run(message);
            } catch (RuntimeException e) {
                span.setStatus(StatusCode.ERROR, e.toString());
                throw e;
            } finally {
                span.end();
            }
        }).runSubscriptionOn(executor).subscribeAsCompletionStage();
    }

    /** Jobs running now. */
    public int inFlight() {
        return inFlight.get();
    }

    @PreDestroy
    void close() {
        executor.shutdownNow(); // the consumer has drained or given up by now
    }

    /** The job that has been running longest, if one is. */
    public Optional<Map.Entry<String, Instant>> longestRunning() {
        return running.entrySet().stream().min(Map.Entry.comparingByValue());
    }

    private JobService.Outcome run(JobMessage message) {
        inFlight.incrementAndGet();
        running.put(message.requestId(), Instant.now());
        try {
            return jobs.process(message, recognizer);
        } finally {
            running.remove(message.requestId());
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
