package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the inference engine runs the models. */
@ConfigMapping(prefix = "ocr.engine")
public interface EngineConfig {

    /** Threads one inference call may use; 0 leaves it to ONNX Runtime (one per physical core). */
    @WithDefault("0")
    int intraOpThreads();
}
