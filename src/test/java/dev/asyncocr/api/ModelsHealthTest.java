package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probes Knative uses: ready once the models are loaded (started answers only after start-up, which loads them). */
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
    void theWholeHealthListsEachCheckOnce() {
        List<String> names = given().when().get("/q/health").then().statusCode(200).extract().path("checks.name");
        assertEquals(names.stream().distinct().toList(), names);
        assertTrue(names.contains("models"), names::toString);
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }
}
