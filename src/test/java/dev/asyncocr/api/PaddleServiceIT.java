package dev.asyncocr.api;

import dev.asyncocr.testing.ServiceReplicas;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service with the Paddle configuration (Paddle Inference det and cls from
 * {@code ../shared/models/paddle}, the bundled ONNX rec), started with no LD_LIBRARY_PATH and an empty
 * native cache: the engine's native libraries come out of the jar on their own, and jobs run on two
 * workers at once, each on a Paddle predictor of its own.
 */
class PaddleServiceIT {

    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();

    @Test
    void jobsRunOnPaddleInferenceWithNothingSetUpByHand() throws Exception {
        Path paddle = SharedData.require("models/paddle");
        Path nativeCache = Files.createTempDirectory("djl-cache");
        replicas.start(ServiceReplicas.freePort(), "paddle", Map.of(
                "OCR_MODELS_DET", paddle.resolve("ch_PP-OCRv3_det").toString(),
                "OCR_MODELS_CLS", paddle.resolve("ch_ppocr_mobile_v2.0_cls").toString(),
                "OCR_WORKER_CONCURRENCY", "2",
                "LD_LIBRARY_PATH", "",
                "ENGINE_CACHE_DIR", nativeCache.toString()));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'models' }.data.source", containsString("(Paddle Inference)"));
        try (var extracted = Files.walk(nativeCache)) {
            assertTrue(extracted.anyMatch(f -> f.getFileName().toString().equals("libpaddle_inference.so")),
                    "the native library was extracted into the empty cache");
        }

        List<String> words = List.of("PADDLE 21", "ENGINE 34", "CLONES 55", "SHARED 89");
        List<String> ids = new ArrayList<>();
        for (String word : words) {
            ids.add(AsyncJobFlowContract.submit(TestImages.page(word).bytes(), ""));
        }
        for (int i = 0; i < words.size(); i++) {
            String text = AsyncJobFlowContract.awaitFinal(ids.get(i), Duration.ofSeconds(120)).statusCode(200)
                    .extract().path("text");
            assertEquals(words.get(i).replace(" ", ""), text.replace(" ", ""), "job " + i);
        }
    }
}
