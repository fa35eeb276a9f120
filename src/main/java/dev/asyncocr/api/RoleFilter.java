package dev.asyncocr.api;

import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * A {@code worker} replica serves only {@code /q/health} and {@code /q/metrics} (not JAX-RS resources, so
 * this filter never sees them): every API request is answered 404 before it reaches a resource.
 */
public class RoleFilter {

    /** What a worker replica answers, with 404, to anything but health and metrics. */
    static final String WORKER_SERVES_NO_API =
            "This replica runs the worker role (ocr.role=worker): it serves /q/health and /q/metrics only";

    private final RoleConfig.Role role;

    public RoleFilter(RoleConfig config) {
        this.role = config.role();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseApiOnWorkers() {
        return role.servesApi() ? Optional.empty() : Optional.of(ErrorAnswer.of(ErrorCode.NOT_FOUND, WORKER_SERVES_NO_API));
    }
}
