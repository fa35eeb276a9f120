package dev.asyncocr.inference.paddle;

import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The checks that keep a broken Paddle model from killing the process: the real models pass, and every
 * truncation of them, and files of the other kind, are refused.
 */
class PaddleModelFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"ch_PP-OCRv3_det", "ch_ppocr_mobile_v2.0_cls"})
    void realModelsPassAndEveryTruncationIsRefused(String model) throws Exception {
        Path folder = SharedData.require("models/paddle/" + model);
        byte[] program = Files.readAllBytes(folder.resolve(PaddleModelFiles.PROGRAM));
        byte[] weights = Files.readAllBytes(folder.resolve(PaddleModelFiles.WEIGHTS));
        assertNull(PaddleModelFiles.programProblem(program));
        assertNull(PaddleModelFiles.weightsProblem(weights));
        int refused = 0;
        for (int cut = 1; cut < weights.length; cut += 997) {
            assertNotNull(PaddleModelFiles.weightsProblem(Arrays.copyOf(weights, cut)), "weights cut at " + cut);
            refused++;
        }
        for (int cut = 1; cut < program.length; cut += 997) {
            assertNotNull(PaddleModelFiles.programProblem(Arrays.copyOf(program, cut)), "program cut at " + cut);
            refused++;
        }
        System.out.printf("%s: %d truncations refused%n", model, refused);
        assertNotNull(PaddleModelFiles.programProblem(weights), "weights are not a program");
        assertNotNull(PaddleModelFiles.weightsProblem(program), "a program is not weights");
        assertEquals("it holds no blocks", PaddleModelFiles.programProblem(new byte[0]));
    }
}
