package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.OptionalInt;

/** The worker pool that drains the queue through the shared predictor. */
@ConfigMapping(prefix = "ocr.worker")
public interface WorkerConfig {

    /**
     * Inferences at once in this replica, and the broker credit it holds: it never takes more jobs than
     * this. Unset, one per core: on a CPU, one-thread inferences side by side use the cores better than
     * one inference spread over them (README, Performance); on a GPU the CPU work around the models
     * (decoding, resizing, box finding) becomes the limit, and the GPU image sets 4.
     */
    @WithName("concurrency")
    OptionalInt configuredConcurrency();

    /** {@link #configuredConcurrency()}, or one per core. */
    default int concurrency() {
        return configuredConcurrency().orElse(Runtime.getRuntime().availableProcessors());
    }

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
