package dev.asyncocr.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class ModelLoaderTest {

    private static final EngineOptions CPU = EngineOptions.cpu(1);
    static final Path NVIDIA_DEVICE = Path.of("/dev/nvidia0");

    @TempDir
    Path dir;

    private void writeBundledCopies() throws Exception {
        Files.write(dir.resolve("det.onnx"), ModelLoader.verifiedResource(ModelLoader.DET));
        Files.write(dir.resolve("cls.onnx"), ModelLoader.verifiedResource(ModelLoader.CLS));
        Files.write(dir.resolve("rec.onnx"), ModelLoader.verifiedResource(ModelLoader.REC));
        Files.write(dir.resolve("dict.txt"), ModelLoader.verifiedResource(ModelLoader.DICT));
    }

    @Test
    void bundledModelsMatchTheirChecksums() {
        try (Models models = ModelLoader.load(ModelLocations.bundled(), CPU)) {
            assertEquals(6623, models.dictionary().size());
            assertTrue(models.source().contains("bundled"));
        }
    }

    @Test
    void aFolderReplacesTheDefaults() throws Exception {
        writeBundledCopies();
        try (Models models = ModelLoader.load(ModelLocations.folder(dir), CPU)) {
            assertTrue(models.source().contains(dir.toString()), models.source());
            Tensor out = models.cls().predict(new Tensor(new float[3 * 48 * 192], new long[] {1, 3, 48, 192}));
            assertEquals(List.of(1L, 2L), List.of(out.shape()[0], out.shape()[1]));
        }
    }

    @Test
    void aMissingModelNamesTheFileAndWhatWasExpected() throws Exception {
        writeBundledCopies();
        Files.delete(dir.resolve("rec.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.folder(dir), CPU));
        assertTrue(e.getMessage().contains(dir.resolve("rec.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("text recognition model"), e.getMessage());
    }

    @Test
    void aCorruptModelNamesTheFile() throws Exception {
        writeBundledCopies();
        Files.write(dir.resolve("det.onnx"), new byte[] {1, 2, 3, 4, 5});
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.folder(dir), CPU));
        assertTrue(e.getMessage().contains("det.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("expected an ONNX model"), e.getMessage());
    }

    @Test
    void aChecksumMismatchSaysWhatWasExpected() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.verifyChecksum("models/x.onnx", new byte[] {42}, ModelLoader.DET.sha256()));
        assertTrue(e.getMessage().contains("models/x.onnx is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains(ModelLoader.DET.sha256()), e.getMessage());
    }

    @Test
    void aMissingFolderIsExplained() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.folder(dir.resolve("nope")), CPU));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void aGpuThatCannotBeUsedLeavesTheModelsOnTheCpuAndSaysWhy() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) && Files.exists(NVIDIA_DEVICE),
                "ONNX Runtime has CUDA and a GPU is present here: GpuParityTest covers the GPU");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() == Level.WARNING.intValue()) {
                    warnings.add(String.format(record.getMessage(), record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ModelLoader.class.getName());
        logger.addHandler(capture);
        Tensor input = new Tensor(new float[3 * 48 * 192], new long[] {1, 3, 48, 192});
        try (Models asked = ModelLoader.load(ModelLocations.bundled(), CPU.on(Device.GPU));
             Models cpu = ModelLoader.load(ModelLocations.bundled(), CPU)) {
            assertEquals("CPU", asked.device());
            assertArrayEquals(cpu.cls().predict(input).data(), asked.cls().predict(input).data());
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(3, warnings.size(), () -> "one warning per model: " + warnings);
        warnings.forEach(w -> assertTrue(w.startsWith("ocr.engine.device=gpu, but the ") && w.contains("runs on the CPU: "),
                w));
    }

    @Test
    void aCorruptModelIsTheModelsFaultEvenWhenAGpuWasAsked() throws Exception {
        writeBundledCopies();
        Files.write(dir.resolve("cls.onnx"), new byte[] {9, 9, 9});
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.folder(dir), CPU.on(Device.GPU)));
        assertTrue(e.getMessage().contains("cls.onnx") && e.getMessage().contains("expected an ONNX model"),
                e.getMessage());
    }

    @Test
    void aPaddleFolderInTheModelsFolderRunsOnPaddleInference() throws Exception {
        writeBundledCopies();
        Files.delete(dir.resolve("det.onnx"));
        copyFolder(SharedData.require("models/paddle/ch_PP-OCRv3_det"), dir.resolve("det"));
        try (Models models = ModelLoader.load(ModelLocations.folder(dir), CPU)) {
            assertTrue(models.source().contains("det " + dir.resolve("det") + " (Paddle Inference)"), models.source());
            assertTrue(models.source().contains("rec " + dir.resolve("rec.onnx") + " (ONNX Runtime)"), models.source());
            Tensor map = models.det().predict(new Tensor(new float[3 * 64 * 64], new long[] {1, 3, 64, 64}));
            assertEquals(List.of(1L, 1L, 64L, 64L), List.of(map.shape()[0], map.shape()[1], map.shape()[2], map.shape()[3]));
        }
    }

    @Test
    void aForcedEngineThatDoesNotFitTheModelSaysWhatItExpected() {
        Path paddleDet = SharedData.require("models/paddle/ch_PP-OCRv3_det");
        ModelLocations onePaddleModel = ModelLocations.bundled().with(ModelStage.DET, paddleDet);
        ModelLoadException asOnnx = assertThrows(ModelLoadException.class, () -> ModelLoader.load(onePaddleModel,
                new EngineOptions(EngineType.ONNXRUNTIME, Device.CPU, 1)));
        assertTrue(asOnnx.getMessage().contains("expected the ONNX text detection model"), asOnnx.getMessage());

        ModelLocations oneOnnxModel = ModelLocations.bundled().with(ModelStage.DET, dir.resolve("det.onnx"));
        ModelLoadException asPaddle = assertThrows(ModelLoadException.class, () -> ModelLoader.load(oneOnnxModel,
                new EngineOptions(EngineType.PADDLE, Device.CPU, 1)));
        assertTrue(asPaddle.getMessage().contains("expected a Paddle Inference model folder"), asPaddle.getMessage());
    }

    @Test
    void aPaddleFolderWithoutAModelOrWithACorruptOneIsExplained() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.bundled().with(ModelStage.CLS, empty), CPU));
        assertTrue(missing.getMessage().contains(empty + ": expected a Paddle Inference model folder"),
                missing.getMessage());

        Path corrupt = dir.resolve("corrupt");
        copyFolder(SharedData.require("models/paddle/ch_ppocr_mobile_v2.0_cls"), corrupt);
        Path weights = corrupt.resolve("inference.pdiparams");
        Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 200_000)); // Paddle itself aborts the JVM
        ModelLoadException truncated = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.bundled().with(ModelStage.CLS, corrupt), CPU));
        assertTrue(truncated.getMessage().contains("Cannot load the text direction classification model " + corrupt),
                truncated.getMessage());
        assertTrue(truncated.getMessage().contains("inference.pdiparams is not a whole set of Paddle tensors"),
                truncated.getMessage());

        Files.write(corrupt.resolve("inference.pdmodel"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // Paddle: SIGSEGV
        ModelLoadException unreadable = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(ModelLocations.bundled().with(ModelStage.CLS, corrupt), CPU));
        assertTrue(unreadable.getMessage().contains("inference.pdmodel is not a Paddle program description"),
                unreadable.getMessage());
    }

    private static void copyFolder(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void dictionaryKeepsEveryLineIncludingTheLastWithoutNewline() {
        assertEquals(List.of("a", "b", " ", "c"), ModelLoader.parseDictionary("a\nb\n \nc".getBytes()));
        assertEquals(List.of("a", "b"), ModelLoader.parseDictionary("a\r\nb\n".getBytes()));
    }
}
