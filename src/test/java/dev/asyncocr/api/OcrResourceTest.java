package dev.asyncocr.api;

import dev.asyncocr.testing.SharedData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /ocr} on images that it must read. */
@QuarkusTest
class OcrResourceTest {

    private static final String HELLO_TEXT = "HELLO WORLD 2026";
    private static final TestImages.Png HELLO = TestImages.text(HELLO_TEXT);

    @Test
    void multipartUploadIsRecognised() {
        JsonPath result = ok(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png"), "");
        assertRecognisesHello(result);
    }

    @Test
    void rawBodyIsRecognised() {
        JsonPath result = ok(given().contentType("image/png").body(HELLO.bytes()), "");
        assertRecognisesHello(result);
        JsonPath octets = ok(given().contentType(ContentType.BINARY).body(HELLO.bytes()), "");
        assertEquals(result.getString("text"), octets.getString("text"));
    }

    @Test
    void withoutDetectionTheWholeImageIsOneLine() {
        JsonPath result = ok(given().contentType("image/png").body(HELLO.bytes()), "?det=false");
        List<Map<String, Object>> lines = result.getList("lines");
        assertEquals(1, lines.size(), () -> "lines: " + lines);
        assertEquals(HELLO_TEXT.replace(" ", ""), result.getString("text").replace(" ", ""));
        assertBoxesInside(result);
    }

    @Test
    void withoutRecognitionOnlyBoxesComeBack() {
        JsonPath result = ok(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png"), "?rec=false");
        List<Map<String, Object>> lines = result.getList("lines");
        assertFalse(lines.isEmpty(), "detection found no line");
        for (Map<String, Object> line : lines) {
            assertFalse(line.containsKey("text"), () -> "a line has text without recognition: " + line);
            assertNotNull(line.get("box"));
        }
        assertEquals("", result.getString("text"));
        assertBoxesInside(result);
    }

    @Test
    void theClassifierSwitchDecidesWhetherAnglesComeBack() {
        JsonPath with = ok(given().contentType("image/png").body(HELLO.bytes()), "?cls=true");
        List<Map<String, Object>> withLines = with.getList("lines");
        assertFalse(withLines.isEmpty());
        withLines.forEach(line -> assertEquals(0, line.get("angle"), () -> "upright text: " + line));

        JsonPath without = ok(given().contentType("image/png").body(HELLO.bytes()), "?cls=FALSE");
        List<Map<String, Object>> withoutLines = without.getList("lines");
        withoutLines.forEach(line -> assertNull(line.get("angle"), () -> "no classifier, no angle: " + line));
        assertEquals(with.getString("text"), without.getString("text"));
    }

    /** The acceptance case: the RapidOCR sample with 18 lines of Chinese, English and numbers. */
    @Test
    void chineseEnglishNumbersSample() throws IOException {
        Path sample = SharedData.require("eval/rapidocr/ch_en_num.jpg");
        JsonPath result = ok(given().multiPart("image", sample.getFileName().toString(), Files.readAllBytes(sample),
                "image/jpeg"), "");
        List<Map<String, Object>> lines = result.getList("lines");
        assertEquals(18, lines.size(), () -> "text: " + result.getString("text"));
        assertEquals("正品促销", lines.get(0).get("text"));
    }

    private static JsonPath ok(RequestSpecification request, String query) {
        return request.when().post("/ocr" + query)
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();
    }

    private static void assertRecognisesHello(JsonPath result) {
        String text = result.getString("text");
        // the detector may split the line at a word gap: compare without whitespace
        assertEquals(HELLO_TEXT.replaceAll("\\s", ""), text.replaceAll("\\s", ""), () -> "recognised: " + text);
        List<Map<String, Object>> lines = result.getList("lines");
        assertFalse(lines.isEmpty());
        for (Map<String, Object> line : lines) {
            assertTrue(line.get("text") instanceof String);
            double confidence = ((Number) line.get("confidence")).doubleValue();
            assertTrue(confidence > 0.5 && confidence <= 1.0, () -> "confidence " + confidence);
        }
        assertBoxesInside(result);
        Map<String, Object> timings = result.getMap("timings_ms");
        assertTrue(timings.containsKey("total"), () -> "timings: " + timings);
        timings.values().forEach(ms -> assertTrue(((Number) ms).doubleValue() >= 0, () -> "timings: " + timings));
    }

    private static void assertBoxesInside(JsonPath result) {
        List<List<List<Integer>>> boxes = result.getList("lines.box");
        assertFalse(boxes.isEmpty());
        for (List<List<Integer>> box : boxes) {
            assertEquals(4, box.size(), () -> "box " + box);
            for (List<Integer> corner : box) {
                assertEquals(2, corner.size(), () -> "box " + box);
                int x = corner.get(0);
                int y = corner.get(1);
                assertTrue(x >= 0 && x <= HELLO.width() && y >= 0 && y <= HELLO.height(),
                        () -> "box " + box + " outside the " + HELLO.width() + "x" + HELLO.height() + " image");
            }
        }
    }
}
