package dev.asyncocr.observability;

import dev.asyncocr.job.JobStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The autoscaling signal: jobs waiting, from the store, so exact across replicas. (Jobs running in this
 * replica, the other signal, are counted by the worker pool that runs them.)
 */
@Singleton
@Startup
public class QueueMetrics {

    static final String QUEUE_DEPTH = "ocr_queue_depth";

    public QueueMetrics(MeterRegistry registry, JobStore store) {
        Gauge.builder(QUEUE_DEPTH, store, JobStore::queuedCount)
                .description("Jobs queued and not yet started, across all replicas")
                .register(registry);
    }
}
