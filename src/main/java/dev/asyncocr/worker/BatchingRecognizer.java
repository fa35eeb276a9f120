package dev.asyncocr.worker;

import dev.asyncocr.job.JobService;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * Micro-batching: the recognitions that worker threads ask for at about the same time run as one
 * pipeline batch, up to {@code maxBatch} jobs or whatever arrived within {@code maxWait} of the oldest,
 * whichever comes first; when no batch is running and no other job the pool holds could join, at once,
 * so that a job at low load never waits for company that cannot come. The thread that finds a batch ready runs it and the others wait for their
 * share, so no extra thread is needed and a batch of one costs nothing. Each job gets its own outcome:
 * an image that cannot be read fails alone.
 */
final class BatchingRecognizer implements JobService.Recognizer {

    /** The pipeline's batch entry point. */
    @FunctionalInterface
    interface Pipeline {
        List<OcrPipeline.Outcome> runAll(List<OcrPipeline.Request> requests);
    }

    private static final class Call {
        final OcrPipeline.Request request;
        final long arrived = System.nanoTime();
        boolean taken;
        OcrPipeline.Outcome outcome;

        Call(OcrPipeline.Request request) {
            this.request = request;
        }
    }

    private final Pipeline pipeline;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final IntSupplier jobsInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Call> waiting = new ArrayDeque<>();
    /** Calls in batches that are running. */
    private int running;

    /**
     * @param jobsInFlight the jobs the worker pool holds, whether here or on their way (fetching the image)
     */
    BatchingRecognizer(Pipeline pipeline, int maxBatch, Duration maxWait, IntConsumer batchSizes,
            IntSupplier jobsInFlight) {
        this.pipeline = pipeline;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = batchSizes;
        this.jobsInFlight = jobsInFlight;
    }

    @Override
    public OcrResult recognize(byte[] image, OcrOptions options) {
        Call mine = new Call(new OcrPipeline.Request(image, options));
        lock.lock();
        try {
            waiting.add(mine);
            changed.signalAll();
            while (mine.outcome == null) {
                long untilDue = waiting.isEmpty() ? Long.MAX_VALUE
                        : waiting.peekFirst().arrived + maxWaitNanos - System.nanoTime();
                boolean idle = running == 0 && !waiting.isEmpty() && waiting.size() >= jobsInFlight.getAsInt();
                if (waiting.size() >= maxBatch || untilDue <= 0 || idle) {
                    List<Call> batch = take();
                    running += batch.size();
                    lock.unlock();
                    try {
                        run(batch);
                    } finally {
                        lock.lock();
                        running -= batch.size();
                        changed.signalAll();
                    }
                } else if (mine.taken || untilDue == Long.MAX_VALUE) {
                    changed.await(); // another thread runs the batch this call is in
                } else {
                    changed.awaitNanos(untilDue);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a batch", e);
        } finally {
            lock.unlock();
        }
        return mine.outcome.get();
    }

    private List<Call> take() {
        List<Call> batch = new ArrayList<>();
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            Call call = waiting.pollFirst();
            call.taken = true;
            batch.add(call);
        }
        return batch;
    }

    private void run(List<Call> batch) {
        batchSizes.accept(batch.size());
        List<OcrPipeline.Outcome> outcomes;
        try {
            outcomes = pipeline.runAll(batch.stream().map(call -> call.request).toList());
        } catch (RuntimeException e) { // the engine failed the whole batch: each job retries on its own terms
            outcomes = batch.stream().map(call -> new OcrPipeline.Outcome(null, e)).toList();
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome = outcomes.get(i); // published to the waiting threads by the lock
        }
    }
}
