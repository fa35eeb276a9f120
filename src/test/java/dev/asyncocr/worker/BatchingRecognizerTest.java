package dev.asyncocr.worker;

import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.Tuning;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How calls are gathered into batches, on a stand-in pipeline that answers each image with its first
 * byte as the text and fails images starting with 0 as undecodable.
 */
class BatchingRecognizerTest {

    /** More jobs in the pool than any test calls with: a batch always waits for company. */
    private static final IntSupplier MANY = () -> Integer.MAX_VALUE;

    private final List<Integer> batches = new CopyOnWriteArrayList<>();

    private List<OcrPipeline.Outcome> pipeline(List<OcrPipeline.Request> requests) {
        return requests.stream().map(r -> r.image()[0] == 0
                ? new OcrPipeline.Outcome(null, new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE,
                        "broken"))
                : new OcrPipeline.Outcome(new OcrResult(1, 1, List.of(), Map.of("text", (double) r.image()[0]), Tuning.DEFAULT), null))
                .toList();
    }

    @Test
    void callsMadeTogetherRunAsOneBatchAndEachGetsItsOwnAnswer() throws Exception {
        BatchingRecognizer recognizer = new BatchingRecognizer(this::pipeline, 4, Duration.ofSeconds(5), batches::add, MANY);
        List<Object> answers = callTogether(recognizer, new byte[] {1}, new byte[] {0}, new byte[] {3}, new byte[] {4});
        assertEquals(List.of(4), batches, "one full batch, without waiting for the 5 s");
        assertEquals(1.0, ((OcrResult) answers.get(0)).timingsMs().get("text"));
        assertTrue(answers.get(1) instanceof ImageRejectedException, "the broken image fails alone");
        assertEquals(3.0, ((OcrResult) answers.get(2)).timingsMs().get("text"));
        assertEquals(4.0, ((OcrResult) answers.get(3)).timingsMs().get("text"));
    }

    @Test
    void aLoneCallWaitsNoLongerThanTheMaximumWait() {
        BatchingRecognizer recognizer = new BatchingRecognizer(this::pipeline, 8, Duration.ofMillis(50), batches::add, MANY);
        long start = System.nanoTime();
        recognizer.recognize(new byte[] {7}, OcrOptions.ALL);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(1), batches);
        assertTrue(millis >= 45, "it waited for company for " + millis + " ms");
    }

    @Test
    void anIdlePoolRunsABatchOnceEveryJobItHoldsHasJoined() throws Exception {
        BatchingRecognizer alone = new BatchingRecognizer(this::pipeline, 8, Duration.ofSeconds(5), batches::add, () -> 1);
        long start = System.nanoTime();
        alone.recognize(new byte[] {7}, OcrOptions.ALL);
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "a lone job waited for company that could not come");

        BatchingRecognizer pair = new BatchingRecognizer(this::pipeline, 8, Duration.ofSeconds(5), batches::add, () -> 2);
        start = System.nanoTime();
        callTogether(pair, new byte[] {1}, new byte[] {2});
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "two jobs waited for a third");
        assertEquals(List.of(1, 2), batches, "the lone job alone, then both of the pair together");
    }

    @Test
    void aBatchOfOneRunsAtOnce() {
        BatchingRecognizer recognizer = new BatchingRecognizer(this::pipeline, 1, Duration.ofSeconds(5), batches::add, MANY);
        assertEquals(9.0, recognizer.recognize(new byte[] {9}, OcrOptions.ALL).timingsMs().get("text"));
        assertThrows(ImageRejectedException.class, () -> recognizer.recognize(new byte[] {0}, OcrOptions.ALL));
        assertEquals(List.of(1, 1), batches);
    }

    @Test
    void anEngineFailureFailsEveryJobOfItsBatch() throws Exception {
        BatchingRecognizer recognizer = new BatchingRecognizer(requests -> {
            throw new IllegalStateException("device lost");
        }, 2, Duration.ofSeconds(5), batches::add, MANY);
        List<Object> answers = callTogether(recognizer, new byte[] {1}, new byte[] {2});
        answers.forEach(answer -> assertTrue(answer instanceof IllegalStateException, String.valueOf(answer)));
    }

    /** Calls from one thread per image, all at once; each answer is the result or what was thrown. */
    private static List<Object> callTogether(BatchingRecognizer recognizer, byte[]... images) throws Exception {
        CyclicBarrier start = new CyclicBarrier(images.length);
        ExecutorService threads = Executors.newFixedThreadPool(images.length);
        try {
            List<Future<Object>> calls = new ArrayList<>();
            for (byte[] image : images) {
                calls.add(threads.submit(() -> {
                    start.await();
                    try {
                        return recognizer.recognize(image, OcrOptions.ALL);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            List<Object> answers = new ArrayList<>();
            for (Future<Object> call : calls) {
                answers.add(call.get());
            }
            return answers;
        } finally {
            threads.shutdown();
        }
    }
}
