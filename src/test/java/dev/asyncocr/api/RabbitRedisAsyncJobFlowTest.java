package dev.asyncocr.api;

import dev.asyncocr.testing.RabbitRedisProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The job flow on the production setup: RabbitMQ with its AMQP 1.0 plugin, and Redis. */
@QuarkusTest
@TestProfile(RabbitRedisProfile.class)
class RabbitRedisAsyncJobFlowTest extends AsyncJobFlowContract {

    @BeforeEach
    void requireServices() {
        RabbitRedisProfile.requireServices();
    }

    @Test
    void healthShowsWhereTheBrokerIsButNotWhoLogsIn() {
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'broker' }.data.endpoint",
                        equalTo("amqp://" + RabbitRedisProfile.RABBITMQ_HOST + ":" + RabbitRedisProfile.RABBITMQ_PORT))
                .body(not(containsString("guest")));
    }
}
