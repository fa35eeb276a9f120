package dev.asyncocr.config;

import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.ModelStage;
import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the models come from. Each model is an ONNX file or a Paddle Inference folder
 * ({@code inference.pdmodel} + {@code inference.pdiparams}); whatever is not given is the bundled one.
 */
@ConfigMapping(prefix = "ocr.models")
public interface ModelsConfig {

    /** A folder with det, cls and rec ({@code <stage>.onnx} or a Paddle folder {@code <stage>/}) and dict.txt. */
    Optional<Path> dir();

    /** The detection model, overriding the folder's and the bundled one. */
    Optional<Path> det();

    /** The direction classification model. */
    Optional<Path> cls();

    /** The recognition model. */
    Optional<Path> rec();

    /** The recognition dictionary, one character per line. */
    Optional<Path> dict();

    default ModelLocations locations() {
        Map<ModelStage, Path> models = new EnumMap<>(ModelStage.class);
        det().ifPresent(path -> models.put(ModelStage.DET, path));
        cls().ifPresent(path -> models.put(ModelStage.CLS, path));
        rec().ifPresent(path -> models.put(ModelStage.REC, path));
        return new ModelLocations(dir(), models, dict());
    }
}
