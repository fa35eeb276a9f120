package dev.asyncocr.api;

import dev.asyncocr.format.ErrorResponse;
import dev.asyncocr.format.OcrResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document states the real contract: each operation lists exactly the statuses it answers (a
 * missing or an invented one fails), with the body and headers a client relies on; Swagger UI is served.
 */
@QuarkusTest
class OpenApiTest {

    /** Every status each operation can answer, from the resources and the exception mappers. */
    private static final Map<String, Set<String>> STATUSES = Map.of(
            "POST /ocr", Set.of("200", "202", "400", "401", "409", "410", "413", "406", "415", "422", "429", "500",
                    "503"),
            "POST /ocr/async", Set.of("202", "400", "401", "409", "413", "415", "422", "429", "500", "503"),
            "GET /ocr/jobs", Set.of("200", "400", "401", "503"),
            "GET /ocr/result/{id}", Set.of("200", "202", "401", "404", "406", "410", "422", "500", "503"),
            "DELETE /ocr/result/{id}", Set.of("200", "204", "400", "401", "404", "409", "500", "503"),
            "GET /ocr/result/{id}/pages/{page}", Set.of("200", "202", "400", "401", "404", "503"),
            "GET /ocr/result/{id}/pages/{page}/image", Set.of("200", "202", "400", "401", "404", "410", "422", "503"),
            "POST /", Set.of("202", "400", "401", "413", "415", "422", "429", "500", "503"));

    /** A result: an image's, or a document's. */
    private static final Set<String> RESULT = Set.of("OcrResponse", "DocumentResponse");
    private static final Set<String> STATUS = Set.of("JobStatusResponse");

    /** The one success answer that is not JSON. */
    private static final String PAGE_IMAGE = "GET /ocr/result/{id}/pages/{page}/image 200";
    /**
     * The body schemas of each success answer but {@link #PAGE_IMAGE} (none for a 204); every error answer is an
     * ErrorResponse.
     */
    private static final Map<String, Set<String>> SUCCESS_SCHEMAS = Map.ofEntries(
            Map.entry("POST /ocr 200", RESULT),
            Map.entry("POST /ocr 202", STATUS),
            Map.entry("POST /ocr/async 202", STATUS),
            Map.entry("GET /ocr/result/{id} 200", RESULT),
            Map.entry("GET /ocr/result/{id} 202", STATUS),
            Map.entry("DELETE /ocr/result/{id} 200", STATUS),
            Map.entry("DELETE /ocr/result/{id} 204", Set.of()),
            Map.entry("GET /ocr/jobs 200", Set.of("JobList")),
            Map.entry("GET /ocr/result/{id}/pages/{page} 200", Set.of("DocumentPage")),
            Map.entry("GET /ocr/result/{id}/pages/{page} 202", Set.of("DocumentPage")),
            Map.entry("GET /ocr/result/{id}/pages/{page}/image 202", Set.of("DocumentPage")),
            Map.entry("POST / 202", STATUS));

    private static final String SCHEMAS = "#/components/schemas/";
    /** Shared answers, parameters and headers, read through their references; schema references stay named. */
    private static final Set<String> SHARED_COMPONENTS = Set.of("responses", "parameters", "headers");

    @Test
    void eachOperationListsExactlyTheStatusesItAnswers() {
        JsonPath document = document();
        STATUSES.forEach((operation, statuses) ->
                assertEquals(statuses, responses(document, operation).keySet(), operation));
    }

    @Test
    void resultsListEveryFormatByMediaType() {
        JsonPath document = document();
        for (String operation : List.of("POST /ocr", "GET /ocr/result/{id}")) {
            Map<String, Map<String, Object>> content = map(responses(document, operation).get("200"), "content");
            assertEquals(Set.of("application/json", "text/plain; charset=utf-8", "text/html; charset=utf-8",
                    "application/xml", "application/pdf"), content.keySet(), operation);
        }
    }

    @Test
    void answersHaveTheirBodySchemas() {
        JsonPath document = document();
        STATUSES.keySet().forEach(operation -> responses(document, operation).forEach((status, response) -> {
            String answer = operation + " " + status;
            if (answer.equals(PAGE_IMAGE)) {
                assertEquals(Set.of("image/png"), map(response, "content").keySet(), answer);
                return;
            }
            Set<String> expected = status.startsWith("2") ? SUCCESS_SCHEMAS.get(answer) : Set.of("ErrorResponse");
            assertEquals(expected, jsonSchemas(response), answer);
        }));
    }

    @Test
    void submissionsListPageEventsAndTheDeletePurge() {
        JsonPath document = document();
        for (String operation : Set.of("POST /ocr", "POST /ocr/async", "DELETE /ocr/result/{id}")) {
            List<Map<String, Object>> parameters = cast(operation(document, operation).get("parameters"));
            String expected = operation.startsWith("DELETE") ? ResultResource.PURGE : OcrResource.PAGE_EVENTS;
            assertTrue(parameters.stream().anyMatch(p -> expected.equals(p.get("name"))), operation + ": " + parameters);
        }
    }

    @Test
    void aDocumentsResultAndItsPagesHaveTheirSchemas() {
        Map<String, Map<String, Object>> schemas = map(document().getMap("components"), "schemas");
        Map<String, Map<String, Object>> result = map(schemas.get("DocumentResponse"), "properties");
        assertTrue(result.keySet().containsAll(Set.of("request_id", "status", "pages_total", "progress", "text",
                "pages")), result.keySet().toString());
        assertEquals(SCHEMAS + "Progress", result.get("progress").get("$ref"));
        assertEquals(SCHEMAS + "DocumentPage", map(result.get("pages"), "items").get("$ref"));
        assertTrue(map(schemas.get("Progress"), "properties").keySet()
                .containsAll(Set.of("succeeded", "failed", "pending")));
        Map<String, Object> page = map(schemas.get("DocumentPage"), "properties");
        assertEquals(Set.of("page", "width", "height", "dpi", "status", "source", "text", "lines", "timings_ms",
                "error", "notice"), page.keySet());
    }

    @Test
    void acceptedAnswersPointToTheResultAndUnavailableOnesSayWhenToRetry() {
        JsonPath document = document();
        STATUSES.keySet().forEach(operation -> responses(document, operation).forEach((status, response) -> {
            if (status.equals("202")) {
                assertTrue(headers(response).containsKey("Location"), operation + " 202 lacks Location");
            }
            if (status.equals("503") || status.equals("429")) {
                assertTrue(headers(response).containsKey("Retry-After"), operation + " " + status + " lacks Retry-After");
            }
        }));
    }

    @Test
    void submissionsTakeAMultipartFormOrTheRawImage() {
        JsonPath document = document();
        for (String operation : Set.of("POST /ocr", "POST /ocr/async")) {
            Map<String, Object> requestBody = map(operation(document, operation), "requestBody");
            Map<String, Map<String, Object>> content = map(requestBody, "content");
            assertEquals(Set.of("multipart/form-data", "image/*", "application/pdf", "application/octet-stream"),
                    content.keySet(),
                    operation);
            Map<String, Object> formFields = map(content.get("multipart/form-data").get("schema"), "properties");
            assertTrue(formFields.containsKey(OcrResource.IMAGE_PART), operation + " form: " + formFields.keySet());
            assertTrue(formFields.keySet().containsAll(TuningParameters.NAMES), operation + " form: " + formFields.keySet());
        }
    }

    @Test
    void submissionsListTheTuningOptionsWithTheirRanges() {
        JsonPath document = document();
        Map<String, List<Double>> ranges = Map.of(TuningParameters.DET_THRESH, List.of(0.0, 1.0),
                TuningParameters.BOX_THRESH, List.of(0.0, 1.0), TuningParameters.UNCLIP_RATIO, List.of(1.0, 4.0),
                TuningParameters.MIN_CONFIDENCE, List.of(0.0, 1.0));
        for (String operation : Set.of("POST /ocr", "POST /ocr/async")) {
            List<Map<String, Object>> parameters = cast(operation(document, operation).get("parameters"));
            Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
            parameters.forEach(parameter -> byName.put((String) parameter.get("name"), parameter));
            assertEquals(parameters.size(), byName.size(), operation + ": a parameter listed twice");
            assertTrue(byName.keySet().containsAll(TuningParameters.NAMES), operation + ": " + byName.keySet());
            assertEquals(List.of("auto", "ocr"), map(byName.get(OcrResource.TEXT_LAYER), "schema").get("enum"),
                    operation + " lists text_layer");
            ranges.forEach((name, range) -> {
                Map<String, Object> schema = map(byName.get(name), "schema");
                assertNotNull(schema.get("minimum"), operation + " " + name + ": " + byName.get(name));
                assertEquals(range, List.of(((Number) schema.get("minimum")).doubleValue(),
                        ((Number) schema.get("maximum")).doubleValue()), operation + " " + name);
            });
        }
        Map<String, Object> response = map(map(document.getMap("components"), "schemas"), "OcrResponse");
        assertTrue(map(response, "properties").containsKey("options"), "the result echoes its options");
    }

    @Test
    void theApiTakesABearerCredentialAndTheEventIngressNone() {
        JsonPath document = document();
        assertEquals("http", document.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", document.getString("components.securitySchemes.bearer.scheme"));
        STATUSES.keySet().forEach(operation -> {
            List<Map<String, Object>> security = (List<Map<String, Object>>) operation(document, operation).get("security");
            if (operation.equals("POST /")) {
                assertNull(security, "the CloudEvents ingress takes no tenant's credential");
            } else {
                assertEquals(List.of(Map.of("bearer", List.of())), security, operation);
                assertTrue(headers(responses(document, operation).get("401")).containsKey("WWW-Authenticate"), operation);
            }
        });
    }

    @Test
    void thePageToTryItIsListedBesideTheCloudEventsIngress() {
        JsonPath document = document();
        Map<String, Map<String, Object>> page = responses(document, "GET /");
        assertEquals(Set.of("200"), page.keySet());
        assertEquals(Set.of("text/html"), map(page.get("200"), "content").keySet());
        assertTrue(headers(page.get("200")).containsKey("Content-Security-Policy"));
        assertEquals(STATUSES.get("POST /"), responses(document, "POST /").keySet());
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

    /** The operation for "METHOD path", its references to shared components resolved; fails when there is none. */
    private static Map<String, Object> operation(JsonPath document, String operation) {
        String[] methodAndPath = operation.split(" ", 2);
        Map<String, Object> pathItem = document.<String, Map<String, Object>>getMap("paths").get(methodAndPath[1]);
        assertNotNull(pathItem, operation + ": no such path");
        Object found = pathItem.get(methodAndPath[0].toLowerCase());
        assertNotNull(found, operation + ": no such operation");
        return cast(resolve(document, found));
    }

    /**
     * The node with each {@code $ref} to a shared component replaced by the component, the reference's own
     * fields (OpenAPI 3.1 lets it override the description) over the component's; fails on a dangling one.
     */
    private static Object resolve(JsonPath document, Object node) {
        if (node instanceof List<?> list) {
            return list.stream().map(item -> resolve(document, item)).toList();
        }
        if (!(node instanceof Map<?, ?> object)) {
            return node;
        }
        String[] ref = object.get("$ref") instanceof String path ? path.split("/") : new String[0];
        boolean shared = ref.length == 4 && SHARED_COMPONENTS.contains(ref[2]); // #/components/<kind>/<name>
        Map<String, Object> resolved = new LinkedHashMap<>();
        if (shared) {
            Map<String, Object> components = map(document.getMap("components"), ref[2]);
            assertNotNull(components.get(ref[3]), "no component " + object.get("$ref"));
            resolved.putAll(cast(resolve(document, components.get(ref[3]))));
        }
        object.forEach((key, value) -> {
            if (!(shared && key.equals("$ref"))) {
                resolved.put((String) key, resolve(document, value));
            }
        });
        return resolved;
    }

    private static Map<String, Map<String, Object>> responses(JsonPath document, String operation) {
        return map(operation(document, operation), "responses");
    }

    private static Map<String, Object> headers(Map<String, Object> response) {
        return response.containsKey("headers") ? map(response, "headers") : Map.of();
    }

    /** The names of the schemas a JSON answer may have: its one, or each of oneOf; none without a body. */
    private static Set<String> jsonSchemas(Map<String, Object> response) {
        if (response.get("content") == null) {
            return Set.of();
        }
        Map<String, Map<String, Object>> content = map(response, "content");
        Map<String, Object> json = content.get("application/json");
        assertNotNull(json, "no application/json body in " + response);
        Map<String, Object> schema = map(json, "schema");
        List<Map<String, Object>> choices = schema.containsKey("oneOf") ? cast(schema.get("oneOf")) : List.of(schema);
        return choices.stream().map(choice -> ((String) choice.get("$ref")).substring(SCHEMAS.length()))
                .collect(Collectors.toSet());
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
