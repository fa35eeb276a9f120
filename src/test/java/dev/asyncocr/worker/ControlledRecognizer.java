package dev.asyncocr.worker;

import dev.asyncocr.Sha256;
import dev.asyncocr.job.JobService;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: the real pipeline, with hooks a test sets per image: hold it in the worker until
 * {@link #release} or {@link #releaseAll()}, or make it fail like a broken engine. Counts the runs of every image.
 */
@Alternative
@Singleton
public class ControlledRecognizer implements JobService.Recognizer {

    private final OcrPipeline pipeline;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> released = new ConcurrentHashMap<>();
    private final Set<String> poisoned = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean holdingEvery;
    private final Semaphore heldByEvery = new Semaphore(0);

    public ControlledRecognizer(OcrPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public OcrResult recognize(byte[] image, OcrOptions options) {
        String digest = Sha256.hex(image);
        runs.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
        CountDownLatch arrived = entered.get(digest);
        if (arrived != null) {
            arrived.countDown();
            awaitRelease(released.getOrDefault(digest, gate));
        } else if (holdingEvery) {
            heldByEvery.release();
            awaitRelease(gate);
        }
        if (poisoned.contains(digest)) {
            throw new IllegalStateException("injected engine failure");
        }
        return pipeline.run(image, options);
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a held image was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every image without a hold of its own (a document's rendered pages, whose bytes a test cannot know) waits in
     * the worker until {@link #releaseAll()}.
     */
    public void holdEvery() {
        holdingEvery = true;
    }

    /** Waits until {@code count} images are held by {@link #holdEvery()}. */
    public boolean awaitHeldByEvery(int count, Duration timeout) throws InterruptedException {
        return heldByEvery.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Jobs of this image wait in the worker until {@link #release} or {@link #releaseAll()}. */
    public void hold(byte[] image) {
        entered.put(Sha256.hex(image), new CountDownLatch(1));
        released.put(Sha256.hex(image), new CountDownLatch(gate.getCount() == 0 ? 0 : 1));
    }

    /** Lets the held jobs of this image go on. */
    public void release(byte[] image) {
        released.get(Sha256.hex(image)).countDown();
    }

    /** Waits until a held image is inside the worker. */
    public boolean awaitHeld(byte[] image, Duration timeout) throws InterruptedException {
        return entered.get(Sha256.hex(image)).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every run of this image fails, as an engine fault (not the input's). */
    public void poison(byte[] image) {
        poisoned.add(Sha256.hex(image));
    }

    /** How many times a worker ran this image. */
    public int runs(byte[] image) {
        AtomicInteger n = runs.get(Sha256.hex(image));
        return n == null ? 0 : n.get();
    }

    public void releaseAll() {
        gate.countDown();
        released.values().forEach(CountDownLatch::countDown);
    }

    /** Forgets holds, poisons and counts (after releasing what is held). */
    public void reset() {
        holdingEvery = false;
        releaseAll();
        heldByEvery.drainPermits();
        entered.clear();
        released.clear();
        poisoned.clear();
        runs.clear();
        gate = new CountDownLatch(1);
    }
}
