package dev.asyncocr.api;

import dev.asyncocr.testing.PrometheusScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service with micro-batching on: jobs that arrive together run as one batch, a broken one fails alone. */
@QuarkusTest
@TestProfile(MicroBatchingTest.Batching.class)
class MicroBatchingTest {

    public static class Batching implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ocr.worker.concurrency", "4", "ocr.worker.max-batch", "4", "ocr.worker.max-wait-ms", "2000");
        }
    }

    @Test
    void jobsSubmittedTogetherShareABatchAndABrokenImageFailsAlone() {
        PrometheusScrape before = PrometheusScrape.now();
        List<String> words = List.of("BATCH 1", "BATCH 2", "BATCH 3");
        // every image drawn before the first goes out (the first drawing in a JVM takes a second), so that the
        // jobs meet in the workers
        List<byte[]> pages = words.stream().map(word -> TestImages.page(word).bytes()).toList();
        byte[] whole = TestImages.page("BROKEN").bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        List<String> ids = new ArrayList<>();
        pages.forEach(page -> ids.add(AsyncJobFlowContract.submit(page)));
        String broken = AsyncJobFlowContract.submit(cut);

        for (int i = 0; i < words.size(); i++) {
            String text = AsyncJobFlowContract.awaitFinal(ids.get(i), Duration.ofSeconds(120)).statusCode(200)
                    .extract().path("text");
            assertEquals(words.get(i).replace(" ", ""), text.replace(" ", ""));
        }
        assertJobError(AsyncJobFlowContract.awaitFinal(broken), 422, "IMAGE_UNDECODABLE", broken);
        PrometheusScrape after = PrometheusScrape.now();
        double batches = after.value("ocr_batch_size_count") - before.value("ocr_batch_size_count");
        double jobs = after.value("ocr_batch_size_sum") - before.value("ocr_batch_size_sum");
        assertEquals(4, jobs, "every job ran in a batch");
        assertTrue(batches < 4, "jobs shared batches: " + batches + " batches for 4 jobs");
    }

    /** Detection and the line filter are each job's own: a batch mixes jobs with different settings. */
    @Test
    void jobsOfABatchKeepTheirOwnTuning() {
        PrometheusScrape before = PrometheusScrape.now();
        byte[] page = TestImages.page("TUNED 7").bytes();
        List<String> queries = List.of("", "?det_thresh=1", "?det_size=max:320&min_confidence=0.2");
        List<String> ids = queries.stream().map(query -> AsyncJobFlowContract.submit(page, query)).toList();

        List<Map<String, Object>> options = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String id : ids) {
            var result = AsyncJobFlowContract.awaitFinal(id, Duration.ofSeconds(120)).statusCode(200).extract();
            options.add(result.path("options"));
            texts.add(result.path("text"));
        }
        assertEquals("TUNED7", texts.get(0).replace(" ", ""));
        assertEquals("", texts.get(1), "det_thresh 1 finds no line");
        assertEquals(List.of(0.3f, 1.0f, 0.3f), options.stream().map(o -> o.get("det_thresh")).toList());
        assertEquals(List.of("text:32", "text:32", "max:320"), options.stream().map(o -> o.get("det_size")).toList());
        assertEquals(List.of(0.5f, 0.5f, 0.2f), options.stream().map(o -> o.get("min_confidence")).toList());
        PrometheusScrape after = PrometheusScrape.now();
        assertTrue(after.value("ocr_batch_size_count") - before.value("ocr_batch_size_count") < 3,
                "the jobs shared a batch");
    }
}
