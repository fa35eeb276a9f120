package dev.asyncocr.observability;

import dev.asyncocr.job.JobStore;
import dev.asyncocr.worker.WorkerPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The autoscaling signals: jobs waiting (from the store, so exact across replicas) and jobs running in
 * this replica.
 */
@Singleton
@Startup
public class QueueMetrics {

    static final String QUEUE_DEPTH = "ocr_queue_depth";
    static final String IN_FLIGHT = "ocr_jobs_in_flight";

    public QueueMetrics(MeterRegistry registry, JobStore store, WorkerPool pool) {
        Gauge.builder(QUEUE_DEPTH, store, JobStore::queuedCount)
                .description("Jobs queued and not yet started, across all replicas")
                .register(registry);
        Gauge.builder(IN_FLIGHT, pool, WorkerPool::inFlight)
                .description("Jobs this replica is running now")
                .register(registry);
    }
}
