package dev.asyncocr.api;

import dev.asyncocr.testing.PrometheusScrape;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job metrics at {@code /q/metrics} move as jobs run: counts, outcomes, durations as histograms. */
@QuarkusTest
class MetricsTest {

    private static final String HTTP_REQUESTS = "http_server_requests_seconds_count";

    @Test
    void aSucceededAndAFailedJobShowInEveryJobMetric() {
        PrometheusScrape before = PrometheusScrape.now();
        String good = AsyncJobFlowContract.submit(TestImages.page("COUNTED 5").bytes());
        byte[] whole = TestImages.page("CUT").bytes();
        String bad = AsyncJobFlowContract.submit(Arrays.copyOf(whole, whole.length / 2));
        AsyncJobFlowContract.awaitFinal(good).statusCode(200);
        AsyncJobFlowContract.awaitFinal(bad).statusCode(422);
        PrometheusScrape after = PrometheusScrape.now();

        assertEquals(2, delta(before, after, "ocr_jobs_submitted_total"));
        assertEquals(2, delta(before, after, "ocr_jobs_submitted_total", "tenant=anonymous"),
                "with authentication off every job is the anonymous tenant's");
        assertEquals(1, delta(before, after, "ocr_jobs_completed_total", "outcome=succeeded"));
        assertEquals(1, delta(before, after, "ocr_jobs_completed_total", "outcome=failed"));
        assertEquals(0, delta(before, after, "ocr_jobs_completed_total", "outcome=cancelled"));
        assertEquals(2, delta(before, after, "ocr_job_duration_seconds_count"));
        assertTrue(delta(before, after, "ocr_job_duration_seconds_sum") > 0);
        assertEquals(2, delta(before, after, "ocr_job_duration_seconds_bucket", "le=+Inf"));
        for (String stage : new String[] {"decode", "det", "cls", "rec"}) {
            assertEquals(1, delta(before, after, "ocr_stage_duration_seconds_count", "stage=" + stage), stage);
        }
        assertTrue(delta(before, after, "ocr_stage_duration_seconds_sum", "stage=det") > 0);
        // the model sessions: the undecodable image never reached them
        assertEquals(1, delta(before, after, "ocr_model_inference_seconds_count", "stage=det"));
        for (String stage : new String[] {"cls", "rec"}) {
            assertTrue(delta(before, after, "ocr_model_inference_seconds_count", "stage=" + stage) >= 1, stage);
        }
        double detCpu = delta(before, after, "ocr_model_inference_cpu_seconds_total", "stage=det");
        assertTrue(detCpu > 0 && detCpu <= delta(before, after, "ocr_stage_duration_seconds_sum", "stage=det") * 4,
                "det CPU " + detCpu);
        assertEquals(2, delta(before, after, "ocr_batch_size_count"));
        assertTrue(after.has("ocr_callback_deliveries_total"), "deliveries are counted from zero");
        assertTrue(after.has("ocr_queue_depth") && after.has("ocr_jobs_in_flight"));
    }

    @Test
    void aDocumentsPagesShowByOutcomeWithTheirRenderingAndTheDocumentsSize() {
        PrometheusScrape before = PrometheusScrape.now();
        byte[] whole = TestImages.page("CUT").bytes();
        String id = given().multiPart("image", "a.png", TestImages.page("PAGE 1").bytes(), "image/png")
                .multiPart("image", "b.png", Arrays.copyOf(whole, whole.length / 2), "image/png")
                .when().post("/ocr/async").then().statusCode(202).extract().path("request_id");
        AsyncJobFlowContract.awaitFinal(id).statusCode(200);
        PrometheusScrape after = PrometheusScrape.now();

        assertEquals(1, delta(before, after, "ocr_pages_completed_total", "outcome=succeeded"));
        assertEquals(1, delta(before, after, "ocr_pages_completed_total", "outcome=failed"));
        assertEquals(1, delta(before, after, "ocr_jobs_completed_total", "outcome=partially_succeeded"));
        assertEquals(1, delta(before, after, "ocr_document_pages_count"));
        assertEquals(2, delta(before, after, "ocr_document_pages_sum"), "pages per document");
        // the failed page was rendered too, but its result holds no timings
        assertEquals(1, delta(before, after, "ocr_stage_duration_seconds_count", "stage=render"));
        assertEquals(1, delta(before, after, "ocr_stage_duration_seconds_count", "stage=det"), "a page's stages");
    }

    @Test
    void oddRequestsAddNoSeries() {
        oddRequests(1); // the first of each kind may add its bounded series: method or uri UNKNOWN
        Set<String> before = PrometheusScrape.now().series(HTTP_REQUESTS);
        oddRequests(40);
        Set<String> after = PrometheusScrape.now().series(HTTP_REQUESTS);

        assertEquals(before, after);
        assertTrue(after.stream().anyMatch(s -> s.contains("method=\"UNKNOWN\"")), String.valueOf(after));
        assertTrue(after.stream().noneMatch(s -> s.contains("/ocr/result/") && !s.contains("{id}")),
                String.valueOf(after));
    }

    /** Five odd requests per round: a made-up method, and random ids on answers before a resource method matched. */
    private static void oddRequests(int rounds) {
        for (int i = 0; i < rounds; i++) {
            String id = "/ocr/result/" + UUID.randomUUID();
            String method = "M" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
            given().request(method, "/");
            given().request(method, id);
            given().put(id).then().statusCode(405);
            given().accept("application/x-unheard-of").get(id).then().statusCode(406);
            given().contentType("text/x-unheard-of").body("x").post("/ocr/async").then().statusCode(415);
        }
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
