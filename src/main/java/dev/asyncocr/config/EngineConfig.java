package dev.asyncocr.config;

import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.EngineType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.OptionalInt;

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

    /**
     * Threads one inference call may use; 0 leaves it to the engine (ONNX Runtime: one per physical core).
     * Unset, the cores are shared out among the inferences that run at once ({@code ocr.worker.concurrency}),
     * at least one each: one thread per inference at the default concurrency.
     */
    @WithName("intra-op-threads")
    OptionalInt configuredIntraOpThreads();

    /** The options for a replica that runs {@code concurrency} inferences at once. */
    default EngineOptions options(int concurrency) {
        int threads = configuredIntraOpThreads()
                .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / concurrency));
        return new EngineOptions(type(), device(), threads);
    }
}
