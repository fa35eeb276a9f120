package dev.asyncocr.api;

import dev.asyncocr.testing.RabbitRedisProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;

/** The job flow on the production setup: RabbitMQ with its AMQP 1.0 plugin, and Redis. */
@QuarkusTest
@TestProfile(RabbitRedisProfile.class)
class RabbitRedisAsyncJobFlowTest extends AsyncJobFlowContract {

    @BeforeEach
    void requireServices() {
        RabbitRedisProfile.requireServices();
    }
}
