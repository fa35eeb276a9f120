package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Every error {@code POST /ocr} answers, then proof that the service still serves. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OcrErrorsTest {

    private static final TestImages.Png HELLO = TestImages.text("HELLO WORLD 2026");
    private static final byte[] NOT_AN_IMAGE = "this is plain text, not an image".getBytes(StandardCharsets.UTF_8);

    @Test
    @Order(1)
    void invalidOptionIsRefused() {
        assertError(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png")
                .queryParam("det", "maybe")
                .when().post("/ocr").then(), 400, "INVALID_PARAMETER")
                .body("error.message", containsString("det"));
        assertError(given().contentType("image/png").body(HELLO.bytes())
                .queryParam("rec", "1")
                .when().post("/ocr").then(), 400, "INVALID_PARAMETER");
    }

    @Test
    @Order(1)
    void multipartWithoutImagePartIsMissingImage() {
        assertError(given().multiPart("picture", "hello.png", HELLO.bytes(), "image/png")
                .when().post("/ocr").then(), 400, "IMAGE_MISSING");
    }

    @Test
    @Order(1)
    void emptyImagePartIsMissingImage() {
        assertError(given().multiPart("image", "empty.png", new byte[0], "image/png")
                .when().post("/ocr").then(), 400, "IMAGE_MISSING");
    }

    @Test
    @Order(1)
    void emptyBodyIsMissingImage() {
        assertError(given().contentType("image/png").body(new byte[0])
                .when().post("/ocr").then(), 400, "IMAGE_MISSING");
        assertError(given().contentType("application/octet-stream")
                .when().post("/ocr").then(), 400, "IMAGE_MISSING");
    }

    @Test
    @Order(1)
    void bytesThatAreNoImageAreUndecodable() {
        assertError(given().contentType("image/png").body(NOT_AN_IMAGE)
                .when().post("/ocr").then(), 400, "IMAGE_UNDECODABLE");
        assertError(given().multiPart("image", "fake.jpg", NOT_AN_IMAGE, "image/jpeg")
                .when().post("/ocr").then(), 400, "IMAGE_UNDECODABLE");
    }

    @Test
    @Order(1)
    void truncatedImageIsUndecodable() {
        byte[] truncated = java.util.Arrays.copyOf(HELLO.bytes(), HELLO.bytes().length / 2);
        // the header reads, so a job is made; its worker finds the image undecodable
        String id = given().contentType("image/png").body(truncated).when().post("/ocr").then()
                .statusCode(400).body("error.code", equalTo("IMAGE_UNDECODABLE")).extract().path("request_id");
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id).then(), 422, "IMAGE_UNDECODABLE", id);
    }

    @Test
    @Order(1)
    void unsupportedContentTypeIsRefused() {
        assertError(given().contentType(ContentType.TEXT).body("hello")
                .when().post("/ocr").then(), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(given().contentType(ContentType.JSON).body("{\"image\":\"aGVsbG8=\"}")
                .when().post("/ocr").then(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    @Order(1)
    void unsupportedImageFormatIsRefused() {
        // a format recognised but not read (a PDF is a document now, read page by page)
        byte[] psd = "8BPS\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0003".getBytes(StandardCharsets.ISO_8859_1);
        assertError(given().contentType("application/octet-stream").body(psd)
                .when().post("/ocr").then(), 415, "UNSUPPORTED_MEDIA_TYPE")
                .body("error.message", containsString("Photoshop"));
    }

    @Test
    @Order(1)
    void imageOverThePixelLimitIsTooLarge() {
        TestImages.Png huge = TestImages.blank(8000, 5001); // 40,008,000 pixels, over the default 40,000,000
        assertError(given().contentType("image/png").body(huge.bytes())
                .when().post("/ocr").then(), 413, "IMAGE_TOO_LARGE");
        assertError(given().multiPart("image", "huge.png", huge.bytes(), "image/png")
                .when().post("/ocr").then(), 413, "IMAGE_TOO_LARGE");
    }

    @Test
    @Order(1)
    void unexpectedFailureIsAnInternalErrorThatRevealsNothing() {
        assertError(given().when().get("/test-only/fail").then(), 500, "INTERNAL_ERROR")
                .body("error.message", not(containsString(FailingTestResource.SECRET)))
                .body("error.message", not(containsString("IllegalStateException")))
                .body("error.message", not(containsString("at dev.asyncocr")));
    }

    @Test
    @Order(1)
    void wrongMethodIsJsonToo() {
        assertError(given().when().get("/ocr").then(), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    @Order(1)
    void callbacksIntoPrivateNetworksAreRefusedAtSubmission() {
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.0.10/")) {
            assertError(given().contentType("image/png").body(HELLO.bytes()).queryParam("callback_url", url)
                    .when().post("/ocr/async").then(), 400, "INVALID_CALLBACK_URL")
                    .body("error.message", containsString("non-public"));
        }
        assertError(given().multiPart("image", "hello.png", HELLO.bytes(), "image/png")
                .multiPart("callback_url", "http://127.0.0.1/hook").when().post("/ocr/async").then(), 400,
                "INVALID_CALLBACK_URL");
        assertError(given().contentType("image/png").body(HELLO.bytes()).header("ce-specversion", "1.0")
                .header("ce-id", "private-1").header("ce-source", "/tests").header("ce-type",
                        "dev.asyncocr.ocr.requested").header("ce-callbackurl", "http://127.0.0.1/hook")
                .when().post("/").then(), 400, "INVALID_CALLBACK_URL");
    }

    @Test
    @Order(2)
    void aValidRequestStillSucceedsAfterEveryError() {
        given().multiPart("image", "hello.png", HELLO.bytes(), "image/png")
                .when().post("/ocr")
                .then().statusCode(200)
                .body("text", containsString("2026"));
        given().contentType("image/png").body(HELLO.bytes())
                .when().post("/ocr")
                .then().statusCode(200)
                .body("text", containsString("2026"));
    }
}
