package dev.asyncocr.inference;

/** Where the models run. */
public enum Device {
    CPU,
    /** The first CUDA device through ONNX Runtime's CUDA execution provider (the {@code gpu} Maven profile). */
    GPU
}
