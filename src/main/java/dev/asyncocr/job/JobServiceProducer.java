package dev.asyncocr.job;

import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.config.WorkerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the plain {@link JobService} to the configured store, queue and limits. */
public class JobServiceProducer {

    @Produces
    @Singleton
    JobService jobService(JobStore store, JobQueue queue, QueueConfig queueConfig, WorkerConfig workerConfig) {
        return new JobService(store, queue, queueConfig.maxDepth(), workerConfig.maxAttempts(), Clock.systemUTC());
    }
}
