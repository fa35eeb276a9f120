package dev.asyncocr.inference.paddle;

import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.Tensor;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direction classifier in Paddle format ({@code ../shared/models/paddle}) on Paddle Inference. */
class PaddlePredictorTest {

    private static PaddlePredictor classifier;

    @BeforeAll
    static void load() throws Exception {
        classifier = new PaddlePredictor(SharedData.require("models/paddle/ch_ppocr_mobile_v2.0_cls"),
                EngineOptions.cpu(1));
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    @Test
    void callersAtOnceEachGetTheirOwnCloneAndTheSameAnswers() throws Exception {
        int callers = 4;
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            inputs.add(crops(i));
            alone.add(classifier.predict(inputs.get(i)).data());
        }
        int before = classifier.clones();
        CyclicBarrier together = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<float[]>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Tensor input = inputs.get(i);
                answers.add(pool.submit(() -> {
                    together.await();
                    List<float[]> outputs = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        outputs.add(classifier.predict(input).data());
                    }
                    return outputs;
                }));
            }
            for (int i = 0; i < callers; i++) {
                for (float[] output : answers.get(i).get()) {
                    assertArrayEquals(alone.get(i), output, "caller " + i);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, before, "one caller at a time needs one predictor");
        assertTrue(classifier.clones() > 1 && classifier.clones() <= callers, classifier.clones() + " clones");
    }

    @Test
    void aGpuItCannotUseLeavesTheModelOnTheCpuAndSaysWhy() throws Exception {
        try (PaddlePredictor onCpu = new PaddlePredictor(SharedData.require("models/paddle/ch_ppocr_mobile_v2.0_cls"),
                EngineOptions.cpu(1).on(Device.GPU))) {
            assertEquals(Device.CPU, onCpu.placement().device());
            assertTrue(onCpu.placement().gpuUnavailable().orElseThrow().contains("no CUDA GPU"));
            Tensor input = crops(7);
            assertArrayEquals(classifier.predict(input).data(), onCpu.predict(input).data());
        }
    }

    /** A batch of two 48x192 crops of noise: the classifier's input. */
    private static Tensor crops(int seed) {
        Random random = new Random(seed);
        float[] data = new float[2 * 3 * 48 * 192];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() * 2 - 1;
        }
        return new Tensor(data, new long[] {2, 3, 48, 192});
    }
}
