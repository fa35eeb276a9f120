package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The worker pool that drains the queue through the shared predictor. */
@ConfigMapping(prefix = "ocr.worker")
public interface WorkerConfig {

    /**
     * Inferences at once in this replica, and the broker credit it holds: it never takes more jobs than
     * this. One keeps a CPU busy (ONNX Runtime spreads each call over the cores); on a GPU the CPU work
     * around the models (decoding, resizing, box finding) becomes the limit, and the GPU image sets 4.
     */
    @WithDefault("1")
    int concurrency();

    /**
     * Micro-batching: the most jobs run through the pipeline together (their lines share the models'
     * batches). At most {@link #concurrency()}, as a batch gathers the jobs that run at once; 1 turns it off.
     */
    @WithDefault("1")
    int maxBatch();

    /** How long the oldest job waits for others to fill its batch, in milliseconds. */
    @WithDefault("10")
    int maxWaitMs();

    /** Starts of a job before it fails and its message goes to the dead-letter queue. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * An inference running longer than this is stuck (a hung device or native call): liveness fails, so
     * that the platform restarts the replica and the broker gives the job to another.
     */
    @WithDefault("5m")
    Duration stuckTimeout();

    /** How long shutdown waits for jobs in flight; what is unfinished then goes back to the broker. */
    @WithDefault("30s")
    Duration shutdownGrace();
}
