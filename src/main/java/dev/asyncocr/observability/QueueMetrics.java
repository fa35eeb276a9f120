package dev.asyncocr.observability;

import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.worker.WorkerPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Instance;
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

    public QueueMetrics(MeterRegistry registry, JobStore store, Instance<WorkerPool> pool, RoleConfig config) {
        Gauge.builder(QUEUE_DEPTH, store, JobStore::queuedCount)
                .description("Jobs queued and not yet started, across all replicas")
                .register(registry);
        if (config.role().runsWorkers()) { // an api replica has no pool (and must not load the models for one)
            Gauge.builder(IN_FLIGHT, pool.get(), WorkerPool::inFlight)
                    .description("Jobs this replica is running now")
                    .register(registry);
        }
    }
}
