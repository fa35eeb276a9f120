package dev.asyncocr.job;

import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.config.WorkerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the plain {@link JobService} to the configured store, queue, notifier and limits. */
public class JobServiceProducer {

    @Produces
    @Singleton
    JobService jobService(JobStore store, JobQueue queue, JobNotifier notifier, JobMetrics metrics,
            QueueConfig queueConfig, WorkerConfig workerConfig) {
        return new JobService(store, queue, notifier, metrics, queueConfig.maxDepth(), workerConfig.maxAttempts(),
                Clock.systemUTC());
    }
}
