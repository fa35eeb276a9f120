package dev.asyncocr.worker;

import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.inference.Models;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code models}: UP once the model triple is loaded and has run once (warm-up), on {@code /q/health/ready}. It
 * looks at the {@link Models} singleton without creating it, so a probe never starts or waits for the loading
 * that start-up does. An {@code api} replica loads none: always UP.
 * <p>
 * It is not also a startup check: loading and warm-up finish inside start-up, before the HTTP port opens, so
 * {@code /q/health/started} cannot answer before them anyway, and {@code /q/health} would list it twice.
 */
@Readiness
@ApplicationScoped
public class ModelsHealthCheck implements HealthCheck {

    public static final String NAME = "models";

    private final BeanManager beanManager;
    private final RoleConfig.Role role;

    public ModelsHealthCheck(BeanManager beanManager, RoleConfig config) {
        this.beanManager = beanManager;
        this.role = config.role();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (!role.runsWorkers()) {
            return response.up().withData("state", "not used by role " + role.name().toLowerCase()).build();
        }
        Models models = loadedModels();
        if (models == null) {
            return response.down().withData("state", "loading and warming up").build();
        }
        return response.up()
                .withData("source", models.source())
                .withData("device", models.device())
                .withData("dictionary_size", models.dictionary().size())
                .build();
    }

    /** The loaded models, or null while they are still loading. */
    private Models loadedModels() {
        @SuppressWarnings("unchecked")
        Bean<Models> bean = (Bean<Models>) beanManager.resolve(beanManager.getBeans(Models.class));
        // Context.get without a CreationalContext returns the existing instance or null, never creates one
        return beanManager.getContext(bean.getScope()).get(bean);
    }
}
