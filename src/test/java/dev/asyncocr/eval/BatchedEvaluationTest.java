package dev.asyncocr.eval;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micro-batching changes no answer: the shared evaluation read one image at a time and in batches of
 * {@value #BATCH} (the lines of a batch's images classified and recognised together) gives the same
 * lines, and a broken image in a batch fails alone.
 */
class BatchedEvaluationTest {

    static final int BATCH = 8;

    private static Models models;
    private static OcrPipeline pipeline;

    @BeforeAll
    static void load() {
        models = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(0));
        pipeline = new OcrPipeline(models, new ImageDecoder(Evaluation.DEFAULT_MAX_PIXELS));
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    @Test
    void theSharedCasesReadTheSameInBatches() {
        Path eval = SharedData.require("eval");
        List<OcrPipeline.Request> asked = new ArrayList<>();
        List<CaseResult> alone = CaseDifferences.cases(Evaluation.run((image, options) -> {
            asked.add(new OcrPipeline.Request(image, options));
            return pipeline.run(image, options);
        }, List.of(eval)));

        List<OcrPipeline.Outcome> batched = new ArrayList<>();
        for (int start = 0; start < asked.size(); start += BATCH) {
            batched.addAll(pipeline.runAll(asked.subList(start, Math.min(asked.size(), start + BATCH))));
        }
        Iterator<OcrPipeline.Outcome> answers = batched.iterator();
        List<CaseResult> together = CaseDifferences.cases(Evaluation.run((image, options) -> answers.next().get(),
                List.of(eval)));

        List<String> differences = CaseDifferences.between(alone, together, 0, 1e-4);
        assertTrue(differences.isEmpty(), "alone (first) and batched (then) differ:\n" + String.join("\n", differences));
        assertEquals(31, together.size());
    }

    @Test
    void aBrokenImageInABatchFailsAlone() throws Exception {
        byte[] good = Files.readAllBytes(SharedData.require("eval/rapidocr/en.jpg"));
        byte[] broken = Arrays.copyOf(good, good.length / 3);
        List<OcrPipeline.Outcome> outcomes = pipeline.runAll(List.of(
                new OcrPipeline.Request(good, OcrOptions.ALL),
                new OcrPipeline.Request(broken, OcrOptions.ALL),
                new OcrPipeline.Request(good, OcrOptions.ALL)));
        OcrResult alone = pipeline.run(good, OcrOptions.ALL);
        assertInstanceOf(ImageRejectedException.class, outcomes.get(1).error());
        for (int i : new int[] {0, 2}) {
            assertNull(outcomes.get(i).error());
            assertEquals(alone.lines().stream().map(OcrLine::text).toList(),
                    outcomes.get(i).result().lines().stream().map(OcrLine::text).toList());
        }
    }
}
