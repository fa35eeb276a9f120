package dev.asyncocr.worker;

import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code workers} (liveness): DOWN while an inference has run longer than {@code ocr.worker.stuck-timeout}.
 * A hung native call never returns and holds its worker and its message for ever; restarting the replica
 * frees both, and the broker gives the job to another.
 */
@Liveness
@ApplicationScoped
public class WorkersHealthCheck implements HealthCheck {

    static final String NAME = "workers";

    private final Instance<WorkerPool> pool;
    private final RoleConfig.Role role;
    private final Duration stuckTimeout;

    public WorkersHealthCheck(Instance<WorkerPool> pool, RoleConfig roleConfig, WorkerConfig config) {
        this.pool = pool;
        this.role = roleConfig.role();
        this.stuckTimeout = config.stuckTimeout();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (!role.runsWorkers()) {
            return response.up().withData("state", "not used by role " + role.name().toLowerCase(Locale.ROOT)).build();
        }
        WorkerPool workers = pool.get();
        response.withData("in_flight", workers.inFlight());
        Optional<Map.Entry<String, Instant>> longest = workers.longestRunning();
        if (longest.isEmpty()) {
            return response.up().build();
        }
        Duration running = Duration.between(longest.get().getValue(), Instant.now());
        response.withData("longest_running_job", longest.get().getKey())
                .withData("longest_running_seconds", running.toSeconds());
        return (running.compareTo(stuckTimeout) > 0 ? response.down() : response.up()).build();
    }
}
