package dev.asyncocr.inference;

import ai.onnxruntime.OrtException;
import dev.asyncocr.inference.onnxruntime.OnnxPredictor;

/**
 * The bundled ONNX export of PP-OCRv3 det: the weights of PaddleOCR's {@code ch_PP-OCRv3_det}, to compare the
 * engines on one model (the service itself runs the v4 detector).
 */
public final class BundledV3Detector {

    static final ModelLoader.BundledFile FILE = new ModelLoader.BundledFile("models/ch_PP-OCRv3_det_infer.onnx",
            "3439588c030faea393a54515f51e983d8e155b19a2e8aba7891934c1cf0de526", "PP-OCRv3 mobile det");

    private BundledV3Detector() {
    }

    public static Predictor load(EngineOptions engine) {
        try {
            return new OnnxPredictor(ModelLoader.verifiedResource(FILE), engine);
        } catch (OrtException e) {
            throw new ModelLoadException("Cannot load " + FILE.resource() + ": " + e.getMessage(), e);
        }
    }
}
