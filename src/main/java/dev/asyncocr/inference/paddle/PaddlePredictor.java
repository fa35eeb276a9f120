package dev.asyncocr.inference.paddle;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.Placement;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model on Paddle Inference, through DJL's JNI binding. The weights are loaded once; a Paddle predictor
 * serves one call at a time, so every caller running at once borrows a clone of its own, and clones
 * share the loaded weights. At most as many clones exist as calls ever ran at once (the worker count).
 */
public final class PaddlePredictor implements Predictor {

    static final String ENGINE = "PaddlePaddle";

    static {
        // the native library comes from the paddlepaddle-native jar on the class path: never download one
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final Model model;
    private final Placement placement;
    private final Queue<ai.djl.inference.Predictor<NDList, NDList>> idle = new ConcurrentLinkedQueue<>();
    private final List<ai.djl.inference.Predictor<NDList, NDList>> clones = new CopyOnWriteArrayList<>();

    /**
     * @param folder a Paddle Inference model: {@code inference.pdmodel} and {@code inference.pdiparams}
     * @throws IOException             when the folder does not hold a Paddle model, or a malformed one
     * @throws MalformedModelException when Paddle cannot read it
     */
    public PaddlePredictor(Path folder, EngineOptions engine) throws IOException, MalformedModelException {
        PaddleModelFiles.check(folder);
        String whyNotGpu = null;
        if (engine.device() == Device.GPU && Engine.getEngine(ENGINE).getGpuCount() == 0) {
            whyNotGpu = "Paddle Inference sees no CUDA GPU (its CUDA 11.2 build comes with -Ppaddle-cuda)";
        }
        this.placement = Placement.of(engine.device(), whyNotGpu);
        this.model = Model.newInstance(folder.getFileName().toString(),
                placement.device() == Device.GPU ? ai.djl.Device.gpu() : ai.djl.Device.cpu(), ENGINE);
        int threads = engine.intraOpThreads() > 0 ? engine.intraOpThreads() : Runtime.getRuntime().availableProcessors();
        try {
            model.load(folder, "inference", Map.of("DisableGlog", "true", "CMLNumThreads", String.valueOf(threads)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public Tensor predict(Tensor input) {
        ai.djl.inference.Predictor<NDList, NDList> predictor = borrow();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray array = manager.create(input.data(), new Shape(input.shape()));
            try (NDList outputs = predictor.predict(new NDList(array))) {
                NDArray output = outputs.get(0);
                return new Tensor(output.toFloatArray(), output.getShape().getShape());
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("Paddle Inference failed: " + e.getMessage(), e);
        } finally {
            idle.offer(predictor);
        }
    }

    private ai.djl.inference.Predictor<NDList, NDList> borrow() {
        ai.djl.inference.Predictor<NDList, NDList> predictor = idle.poll();
        if (predictor == null) {
            predictor = model.newPredictor(new NoopTranslator());
            clones.add(predictor);
        }
        return predictor;
    }

    /** Predictors created so far: one per call that ever ran alongside the others. */
    int clones() {
        return clones.size();
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public void close() {
        clones.forEach(ai.djl.inference.Predictor::close);
        model.close();
    }
}
