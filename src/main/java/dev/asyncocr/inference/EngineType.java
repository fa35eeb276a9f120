package dev.asyncocr.inference;

import java.nio.file.Files;
import java.nio.file.Path;

/** The inference engine a model runs on. */
public enum EngineType {
    /** By the model's format: an ONNX file on ONNX Runtime, a Paddle Inference folder on Paddle Inference. */
    AUTO,
    ONNXRUNTIME,
    /** A folder holding {@code inference.pdmodel} and {@code inference.pdiparams}. */
    PADDLE;

    /** The engine for a model at {@code path}: what was asked for, or what its format says. */
    public EngineType forModelAt(Path path) {
        if (this != AUTO) {
            return this;
        }
        return Files.isDirectory(path) ? PADDLE : ONNXRUNTIME;
    }
}
