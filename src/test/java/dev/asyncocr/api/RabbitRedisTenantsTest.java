package dev.asyncocr.api;

import dev.asyncocr.testing.RabbitRedisTenantsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;

/** Tenants on the production setup: RabbitMQ with its AMQP 1.0 plugin, and Redis. */
@QuarkusTest
@TestProfile(RabbitRedisTenantsProfile.class)
class RabbitRedisTenantsTest extends TenantsContract {

    @BeforeEach
    void requireServices() {
        RabbitRedisTenantsProfile.requireServices();
    }
}
