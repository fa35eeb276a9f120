package dev.asyncocr.inference.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.Placement;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A model on ONNX Runtime. {@link OrtSession#run} is thread-safe, so one session serves all callers.
 */
public final class OnnxPredictor implements Predictor {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final Placement placement;

    /**
     * Asked for a GPU, it tries the CUDA execution provider first and, when that cannot be used (a CPU
     * build of ONNX Runtime, no CUDA libraries, no device), opens the same model on the CPU and says why
     * in its {@link #placement()}. A model the CPU cannot open either is reported as the model's fault.
     */
    public OnnxPredictor(byte[] model, EngineOptions engine) throws OrtException {
        this.environment = OrtEnvironment.getEnvironment();
        OrtSession onGpu = null;
        String whyNotGpu = null;
        if (engine.device() == Device.GPU) {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                whyNotGpu = "this ONNX Runtime build has no CUDA execution provider (package with -Pgpu)";
            } else {
                try {
                    onGpu = open(model, engine, true);
                } catch (OrtException e) {
                    whyNotGpu = "the CUDA execution provider failed: " + e.getMessage();
                }
            }
        }
        this.session = onGpu != null ? onGpu : open(model, engine, false);
        this.placement = Placement.of(engine.device(), whyNotGpu);
        this.inputName = session.getInputNames().iterator().next();
    }

    private OrtSession open(byte[] model, EngineOptions engine, boolean cuda) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtCUDAProviderOptions gpu = cuda ? new OrtCUDAProviderOptions(0) : null) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (engine.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(engine.intraOpThreads());
            }
            // Idle intra-op threads would spin for work, burning the cores that HTTP, the broker client and
            // the other workers need: measured on 2 cores, two workers ran 28% faster without spinning
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // Input shapes change with every image: an arena would keep the largest one forever.
            options.setCPUArenaAllocator(false);
            if (gpu != null) {
                // every image brings new shapes: an exhaustive cuDNN search would rerun for each of them
                gpu.add("cudnn_conv_algo_search", "HEURISTIC");
                gpu.add("arena_extend_strategy", "kSameAsRequested");
                // TF32 convolutions would round differently from the CPU: keep the results the same
                gpu.add("use_tf32", "0");
                options.addCUDA(gpu);
            }
            return environment.createSession(model, options);
        }
    }

    @Override
    public Tensor predict(Tensor input) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input.data()), input.shape());
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            FloatBuffer buffer = output.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return new Tensor(values, output.getInfo().getShape());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
