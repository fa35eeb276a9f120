package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static dev.asyncocr.api.ErrorAssertions.assertJobError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-request tuning options of {@code POST /ocr}, {@code POST /ocr/async} and the CloudEvents ingress:
 * read from the query, a form field or an event attribute, refused out of range, part of the request's
 * identity for its idempotency key, and echoed in the result with the defaults that filled the rest.
 */
@QuarkusTest
class TuningApiTest {

    private static final TestImages.Png HELLO = TestImages.text("HELLO WORLD 2026");

    @Test
    void theResultSaysWhichOptionsRanTheRequestsAndTheDefaults() {
        JsonPath result = given().contentType("image/png").body(HELLO.bytes())
                .queryParam(TuningParameters.DET_THRESH, "0.4").queryParam(TuningParameters.UNCLIP_RATIO, "2")
                .queryParam("cls", "false")
                .when().post("/ocr").then().statusCode(200).extract().jsonPath();
        assertEquals(Map.of("det", true, "cls", false, "rec", true, "det_size", "text:32", "det_thresh", 0.4f,
                "box_thresh", 0.5f, "unclip_ratio", 2.0f, "min_confidence", 0.5f), result.getMap("options"));
        assertEquals("HELLOWORLD2026", result.getString("text").replaceAll("\\s", ""));
    }

    @Test
    void formFieldsCarryTheOptionsToo() {
        JsonPath result = given().multiPart("image", "hello.png", HELLO.bytes(), "image/png")
                .multiPart(TuningParameters.DET_THRESH, "1").multiPart(TuningParameters.DET_SIZE, "max:640")
                .when().post("/ocr").then().statusCode(200).extract().jsonPath();
        assertEquals(1.0f, result.getFloat("options.det_thresh"));
        assertEquals("max:640", result.getString("options.det_size"));
        assertTrue(result.getList("lines").isEmpty(), "det_thresh 1: no pixel is above it, so no line");

        assertError(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png")
                .multiPart(TuningParameters.DET_THRESH, "0.4").queryParam(TuningParameters.DET_THRESH, "0.4")
                .when().post("/ocr/async").then(), 400, "INVALID_PARAMETER")
                .body("error.message", containsString("'det_thresh' is given both"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "det_thresh, 1.5, 0 to 1", "det_thresh, -0.1, 0 to 1", "det_thresh, abc, 0 to 1", "det_thresh, NaN, 0 to 1",
            "box_thresh, 2, 0 to 1", "box_thresh, 0x1p-1, 0 to 1",
            "unclip_ratio, 0.5, 1 to 4", "unclip_ratio, 4.01, 1 to 4", "unclip_ratio, Infinity, 1 to 4",
            "min_confidence, 1.01, 0 to 1", "min_confidence, '0,5', 0 to 1",
            "det_size, max:10, min:N or max:N", "det_size, huge:960, min:N or max:N", "det_size, text:, text:N",
            "det_size, 960, min:N or max:N"})
    void anOptionOutOfRangeOrMalformedIsRefusedWithItsRange(String name, String value, String range) {
        for (String path : List.of("/ocr", "/ocr/async")) {
            assertError(given().contentType("image/png").body(HELLO.bytes()).queryParam(name, value)
                    .when().post(path).then(), 400, "INVALID_PARAMETER")
                    .body("error.message", allOf(containsString("'" + name + "'"), containsString(range)));
        }
        assertError(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png").multiPart(name, value)
                .when().post("/ocr/async").then(), 400, "INVALID_PARAMETER")
                .body("error.message", allOf(containsString("'" + name + "'"), containsString(range)));
    }

    @ParameterizedTest
    @CsvSource({"det_size", "det_thresh", "box_thresh", "unclip_ratio", "min_confidence"})
    void anEmptyOptionIsRefused(String name) {
        assertError(given().contentType("image/png").body(HELLO.bytes()).queryParam(name, "")
                .when().post("/ocr/async").then(), 400, "INVALID_PARAMETER")
                .body("error.message", containsString("'" + name + "' is empty"));
        assertError(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png").multiPart(name, "")
                .when().post("/ocr/async").then(), 400, "INVALID_PARAMETER")
                .body("error.message", containsString("'" + name + "'"));
    }

    @Test
    void theSameKeyWithAnotherOptionIsAReusedKey() {
        String key = "tuning-" + UUID.randomUUID();
        String first = given().contentType("image/png").body(HELLO.bytes()).header("Idempotency-Key", key)
                .queryParam(TuningParameters.DET_THRESH, "0.3")
                .when().post("/ocr/async").then().statusCode(202).extract().path("request_id");
        String again = given().contentType("image/png").body(HELLO.bytes()).header("Idempotency-Key", key)
                .queryParam(TuningParameters.DET_THRESH, "0.3")
                .when().post("/ocr/async").then().statusCode(202).extract().path("request_id");
        assertEquals(first, again, "the same request again is the same job");

        assertJobError(given().contentType("image/png").body(HELLO.bytes()).header("Idempotency-Key", key)
                .queryParam(TuningParameters.DET_THRESH, "0.4")
                .when().post("/ocr/async").then(), 422, "IDEMPOTENCY_KEY_REUSED", first);
    }

    @Test
    void aCloudEventCarriesTheOptionsAsAttributes() {
        String id = event(Map.of("ce-ocrminconfidence", "0.99", "ce-ocrdetsize", "min:64"))
                .when().post("/").then().statusCode(202).extract().path("request_id");
        JsonPath result = given().queryParam("wait", 30).when().get("/ocr/result/" + id)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(0.99f, result.getFloat("options.min_confidence"));
        assertEquals("min:64", result.getString("options.det_size"));

        assertError(event(Map.of("ce-ocrunclipratio", "9")).when().post("/").then(), 400, "INVALID_PARAMETER")
                .body("error.message", allOf(containsString("'ocrunclipratio'"), containsString("1 to 4")));
    }

    private static io.restassured.specification.RequestSpecification event(Map<String, String> attributes) {
        return given().contentType("image/png").body(HELLO.bytes()).header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString()).header("ce-source", "/tests/tuning")
                .header("ce-type", "dev.asyncocr.ocr.requested").headers(attributes);
    }
}
