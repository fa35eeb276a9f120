package dev.asyncocr.inference.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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

    public OnnxPredictor(byte[] model, int intraOpThreads) throws OrtException {
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // Input shapes change with every image: an arena would keep the largest one forever.
            options.setCPUArenaAllocator(false);
            this.session = environment.createSession(model, options);
        }
        this.inputName = session.getInputNames().iterator().next();
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
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
