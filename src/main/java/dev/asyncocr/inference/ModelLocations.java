package dev.asyncocr.inference;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each model comes from: its own path, else the folder's {@code det}/{@code cls}/{@code rec}, else
 * the bundled ONNX models. A model path is an ONNX file or a Paddle Inference folder
 * ({@code inference.pdmodel} + {@code inference.pdiparams}); the two can be mixed.
 *
 * @param dir        a folder with {@code <stage>.onnx} or a Paddle folder {@code <stage>/} per stage, and
 *                   {@code dict.txt}
 * @param models     paths for single stages, overriding the folder and the bundled models
 * @param dictionary the recognition dictionary, overriding the folder's and the bundled one
 */
public record ModelLocations(Optional<Path> dir, Map<ModelStage, Path> models, Optional<Path> dictionary) {

    public ModelLocations {
        models = models.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(models));
    }

    public static ModelLocations bundled() {
        return new ModelLocations(Optional.empty(), Map.of(), Optional.empty());
    }

    public static ModelLocations folder(Path dir) {
        return new ModelLocations(Optional.of(dir), Map.of(), Optional.empty());
    }

    /** These locations with {@code stage}'s model at {@code path}. */
    public ModelLocations with(ModelStage stage, Path path) {
        Map<ModelStage, Path> changed = new EnumMap<>(ModelStage.class);
        changed.putAll(models);
        changed.put(stage, path);
        return new ModelLocations(dir, changed, dictionary);
    }
}
