package dev.asyncocr.inference;

import java.util.Optional;

/**
 * One loaded model. Implementations are thread-safe: a single instance is created at start-up and
 * shared by every caller, which may call {@link #predict} concurrently.
 */
public interface Predictor extends AutoCloseable {

    /** Runs the model on one input batch and returns its first output. */
    Tensor predict(Tensor input);

    /** The device the model runs on. */
    Device device();

    /** Why a GPU was asked for and the model runs on the CPU instead; empty when it runs where asked. */
    Optional<String> gpuUnavailable();

    /** Releases the native session. */
    @Override
    void close();
}
