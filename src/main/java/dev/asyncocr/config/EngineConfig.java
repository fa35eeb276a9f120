package dev.asyncocr.config;

import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.EngineType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the inference engine runs the models. */
@ConfigMapping(prefix = "ocr.engine")
public interface EngineConfig {

    /**
     * {@code auto} (by each model's format), {@code onnxruntime} or {@code paddle}, for the models given by
     * path ({@code ocr.models.*}); the bundled models are ONNX.
     */
    @WithDefault("auto")
    EngineType type();

    /**
     * {@code cpu} or {@code gpu}. A GPU needs the image built with {@code -Pgpu}; without a usable CUDA
     * device the service logs why and runs on the CPU rather than not starting.
     */
    @WithDefault("cpu")
    Device device();

    /** Threads one inference call may use; 0 leaves it to ONNX Runtime (one per physical core). */
    @WithDefault("0")
    int intraOpThreads();

    default EngineOptions options() {
        return new EngineOptions(type(), device(), intraOpThreads());
    }
}
