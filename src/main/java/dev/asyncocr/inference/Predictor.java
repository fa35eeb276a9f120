package dev.asyncocr.inference;

/**
 * One loaded model. Implementations are thread-safe: a single instance is created at start-up and
 * shared by every caller, which may call {@link #predict} concurrently.
 */
public interface Predictor extends AutoCloseable {

    /** Runs the model on one input batch and returns its first output. */
    Tensor predict(Tensor input);

    /** The device the model runs on, and why not on a GPU asked for. */
    Placement placement();

    /** Releases the native session. */
    @Override
    void close();
}
