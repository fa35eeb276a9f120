package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/** Where the models come from. */
@ConfigMapping(prefix = "ocr.models")
public interface ModelsConfig {

    /** A folder with det.onnx, cls.onnx, rec.onnx and dict.txt replacing the bundled models. */
    Optional<Path> dir();
}
