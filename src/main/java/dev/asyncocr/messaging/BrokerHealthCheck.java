package dev.asyncocr.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code broker} (readiness): UP while the AMQP connection is open. Without it submissions answer 503 and
 * no job is consumed, so the replica should get no traffic until it has reconnected (it does by itself).
 */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    static final String NAME = "broker";

    private final BrokerClient broker;

    public BrokerHealthCheck(BrokerClient broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(broker.isConnected())
                .withData("endpoint", broker.endpoint().toString()).build();
    }
}
