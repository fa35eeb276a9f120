package dev.asyncocr.store;

import dev.asyncocr.config.StoreConfig;
import dev.asyncocr.job.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;

/** {@code store} (readiness): UP while the job store answers; every request and job needs it. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    static final String NAME = "store";

    private final JobStore store;
    private final StoreConfig config;

    public StoreHealthCheck(JobStore store, StoreConfig config) {
        this.store = store;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).withData("type", config.type().name()
                .toLowerCase(Locale.ROOT));
        try {
            return response.up().withData("queued", store.queuedCount()).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", e.getMessage() == null ? e.toString() : e.getMessage()).build();
        }
    }
}
