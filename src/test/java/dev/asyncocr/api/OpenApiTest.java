package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document states the real contract: each operation lists exactly the statuses it answers (a
 * missing or an invented one fails), with the body and headers a client relies on; Swagger UI is served.
 */
@QuarkusTest
class OpenApiTest {

    /** Every status each operation can answer, from the resources and the exception mappers. */
    private static final Map<String, Set<String>> STATUSES = Map.of(
            "POST /ocr", Set.of("200", "202", "400", "410", "413", "415", "422", "500", "503"),
            "POST /ocr/async", Set.of("202", "400", "413", "415", "422", "500", "503"),
            "GET /ocr/result/{id}", Set.of("200", "202", "404", "410", "422", "500"),
            "DELETE /ocr/result/{id}", Set.of("200", "404", "409", "500"),
            "POST /", Set.of("202", "400", "413", "415", "422", "500", "503"));

    /** The body schema of each success answer; every error answer is an ErrorResponse. */
    private static final Map<String, String> SUCCESS_SCHEMAS = Map.of(
            "POST /ocr 200", "OcrResponse",
            "POST /ocr 202", "JobStatusResponse",
            "POST /ocr/async 202", "JobStatusResponse",
            "GET /ocr/result/{id} 200", "OcrResponse",
            "GET /ocr/result/{id} 202", "JobStatusResponse",
            "DELETE /ocr/result/{id} 200", "JobStatusResponse",
            "POST / 202", "JobStatusResponse");

    private static final String SCHEMAS = "#/components/schemas/";

    @Test
    void eachOperationListsExactlyTheStatusesItAnswers() {
        JsonPath document = document();
        STATUSES.forEach((operation, statuses) ->
                assertEquals(statuses, responses(document, operation).keySet(), operation));
    }

    @Test
    void answersHaveTheirBodySchemas() {
        JsonPath document = document();
        STATUSES.keySet().forEach(operation -> responses(document, operation).forEach((status, response) -> {
            String answer = operation + " " + status;
            String expected = status.startsWith("2") ? SUCCESS_SCHEMAS.get(answer) : "ErrorResponse";
            assertEquals(SCHEMAS + expected, jsonSchemaRef(response), answer);
        }));
    }

    @Test
    void acceptedAnswersPointToTheResultAndUnavailableOnesSayWhenToRetry() {
        JsonPath document = document();
        STATUSES.keySet().forEach(operation -> responses(document, operation).forEach((status, response) -> {
            if (status.equals("202")) {
                assertTrue(headers(response).containsKey("Location"), operation + " 202 lacks Location");
            }
            if (status.equals("503")) {
                assertTrue(headers(response).containsKey("Retry-After"), operation + " 503 lacks Retry-After");
            }
        }));
    }

    @Test
    void submissionsTakeAMultipartFormOrTheRawImage() {
        JsonPath document = document();
        for (String operation : Set.of("POST /ocr", "POST /ocr/async")) {
            Map<String, Object> requestBody = map(operation(document, operation), "requestBody");
            Map<String, Map<String, Object>> content = map(requestBody, "content");
            assertEquals(Set.of("multipart/form-data", "image/*", "application/octet-stream"), content.keySet(),
                    operation);
            Map<String, Object> formFields = map(content.get("multipart/form-data").get("schema"), "properties");
            assertTrue(formFields.containsKey(OcrResource.IMAGE_PART), operation + " form: " + formFields.keySet());
        }
    }

    @Test
    void theDocumentNamesTheService() {
        JsonPath document = document();
        assertEquals("async-ocr", document.getString("info.title"));
        assertNotNull(document.getString("info.version"));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200).contentType(containsString("text/html"));
    }

    private static JsonPath document() {
        return given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

    /** The operation for "METHOD path"; fails when the document has none. */
    private static Map<String, Object> operation(JsonPath document, String operation) {
        String[] methodAndPath = operation.split(" ", 2);
        Map<String, Object> pathItem = document.<String, Map<String, Object>>getMap("paths").get(methodAndPath[1]);
        assertNotNull(pathItem, operation + ": no such path");
        Object found = pathItem.get(methodAndPath[0].toLowerCase());
        assertNotNull(found, operation + ": no such operation");
        return cast(found);
    }

    private static Map<String, Map<String, Object>> responses(JsonPath document, String operation) {
        return map(operation(document, operation), "responses");
    }

    private static Map<String, Object> headers(Map<String, Object> response) {
        return response.containsKey("headers") ? map(response, "headers") : Map.of();
    }

    private static String jsonSchemaRef(Map<String, Object> response) {
        Map<String, Map<String, Object>> content = map(response, "content");
        Map<String, Object> json = content.get("application/json");
        assertNotNull(json, "no application/json body in " + response);
        return (String) map(json, "schema").get("$ref");
    }

    private static <V> Map<String, V> map(Object parent, String key) {
        Map<String, Object> object = cast(parent);
        assertNotNull(object.get(key), "no " + key + " in " + parent);
        return cast(object.get(key));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
