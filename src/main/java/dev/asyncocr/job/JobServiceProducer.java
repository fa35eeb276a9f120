package dev.asyncocr.job;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.config.AuthConfig;
import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.config.TenantConfig;
import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.image.PageRenderer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/** Wires the plain {@link JobService} to the configured store, queue, notifier, listener and limits. */
public class JobServiceProducer {

    @Produces
    @Singleton
    JobService jobService(JobStore store, JobQueue queue, JobNotifier notifier, JobMetrics metrics,
            JobFinishedListener listener, QueueConfig queueConfig, WorkerConfig workerConfig, ApiConfig apiConfig,
            TenantConfig tenantConfig, FairShare fairShare) {
        return new JobService(store, queue, notifier, metrics, listener, new PageRenderer(apiConfig.maxPixels()),
                queueConfig.maxDepth(), quotas(tenantConfig), fairShare, workerConfig.maxAttempts(),
                queueConfig.serviceTimePrior(), Clock.systemUTC());
    }

    /** The tenants with queues of their own: the named ones, with {@code ocr.tenant.fair-share} on. */
    @Produces
    @Singleton
    FairShare fairShare(TenantConfig tenantConfig, AuthConfig authConfig) {
        return tenantConfig.fairShare() ? new FairShare(TenantConfig.named(authConfig, tenantConfig)) : FairShare.NONE;
    }

    /** The quotas as the job lifecycle applies them. */
    private static TenantQuotas quotas(TenantConfig config) {
        Map<String, Long> own = new TreeMap<>();
        config.overrides().forEach((tenant, settings) -> settings.maxQueued().ifPresent(max -> own.put(tenant, max)));
        return new TenantQuotas(config.maxQueued(), own);
    }
}
