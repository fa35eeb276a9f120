package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

/** The probes Knative uses: ready and started only once the models are loaded. */
@QuarkusTest
class ModelsHealthTest {

    @Test
    void readinessListsTheModelsCheckUp() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("models"))
                .body("checks.find { it.name == 'models' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'models' }.data.source", not(emptyOrNullString()))
                .body("checks.find { it.name == 'models' }.data.device", equalTo("CPU"));
    }

    @Test
    void startupListsTheModelsCheckUp() {
        given().when().get("/q/health/started")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'models' }.status", equalTo("UP"));
    }
}
