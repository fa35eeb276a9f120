package dev.asyncocr.job;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.image.PageRenderer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the plain {@link JobService} to the configured store, queue, notifier, listener and limits. */
public class JobServiceProducer {

    @Produces
    @Singleton
    JobService jobService(JobStore store, JobQueue queue, JobNotifier notifier, JobMetrics metrics,
            JobFinishedListener listener, QueueConfig queueConfig, WorkerConfig workerConfig, ApiConfig apiConfig) {
        return new JobService(store, queue, notifier, metrics, listener, new PageRenderer(apiConfig.maxPixels()),
                queueConfig.maxDepth(), workerConfig.maxAttempts(), queueConfig.serviceTimePrior(), Clock.systemUTC());
    }
}
