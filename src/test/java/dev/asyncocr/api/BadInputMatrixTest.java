package dev.asyncocr.api;

import dev.asyncocr.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static dev.asyncocr.api.AsyncJobFlowContract.awaitFinal;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input matrix of {@code POST /ocr/async} and {@code POST /}: each input with the answer the README
 * documents for it, either refused at once (status and error code) or accepted (202) and then finished
 * (the poll's status and code). Every refusal is the JSON error; nothing answers 500 or hangs. After the
 * whole matrix a good image still goes through end to end.
 * <p>
 * Some rows repeat, once each, what a focused test checks in depth ({@link PayloadTooLargeTest} for bodies
 * over the limits, {@link EventIngressTest} for CloudEvents, {@link OcrErrorsTest} for {@code POST /ocr});
 * here they count towards "the service survives all of it in one run".
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputMatrixTest {

    /** ocr.api.max-bytes, by default. */
    private static final int MAX_BYTES = 20 * 1024 * 1024;
    private static final byte[] GOOD = TestImages.text("MATRIX 2026").bytes();
    private static final String REQUESTED = "dev.asyncocr.ocr.requested";
    /** What leaks from a parser's exception: a package-qualified name or an exception's simple name. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|com|io|org|jakarta)\\.[a-z]+\\.|Exception\\b");

    @TestHTTPResource("/")
    URL base;

    /** One request of the matrix, sent raw or through REST Assured. */
    @FunctionalInterface
    interface Request {
        RawHttp.Reply send(URL base) throws IOException;
    }

    /**
     * What a row expects: refused with {@code status} and {@code code} (no code: by the HTTP layer, before the
     * service, with no body), or accepted (202) and then finished with {@code finalStatus} ({@code finalCode}
     * for a failure, {@code text} in the result for a success).
     */
    record Expected(int status, String code, int finalStatus, String finalCode, String text) {

        static Expected refused(int status, String code) {
            return new Expected(status, code, 0, null, null);
        }

        static Expected refusedByHttp(int status) {
            return new Expected(status, null, 0, null, null);
        }

        static Expected failsAfterAcceptance(String code) {
            return new Expected(202, null, 422, code, null);
        }

        static Expected succeeds(String text) {
            return new Expected(202, null, 200, null, text);
        }

        @Override
        public String toString() {
            return status == 202 ? "202, then " + finalStatus + (finalCode == null ? "" : " " + finalCode)
                    : status + " " + (code == null ? "from the HTTP layer" : code);
        }
    }

    static Stream<Arguments> matrix() {
        byte[] jpeg = TestImages.encode(TestImages.drawn("CUT 1"), "jpeg");
        byte[] png = TestImages.text("CUT 2").bytes();
        byte[] random = new byte[4096];
        new Random(9).nextBytes(random);
        random[0] = 0x42; // keeps the seed from starting, by chance, with an image signature
        return Stream.of(
                // images the header check refuses at once
                row("zero bytes, image/png", raw("image/png", new byte[0]),
                        Expected.refused(400, "IMAGE_MISSING")),
                row("random bytes labelled image/png", raw("image/png", random),
                        Expected.refused(400, "IMAGE_UNDECODABLE")),
                row("PNG cut inside its header", raw("image/png", Arrays.copyOf(png, 20)),
                        Expected.refused(400, "IMAGE_UNDECODABLE")),
                row("JPEG cut before its frame header", raw("image/jpeg", Arrays.copyOf(jpeg, 12)),
                        Expected.refused(400, "IMAGE_UNDECODABLE")),
                row("decompression bomb: PNG declaring 100000x100000", raw("image/png", handMadePng(100_000, 100_000)),
                        Expected.refused(413, "IMAGE_TOO_LARGE")),
                row("decompression bomb: JPEG declaring 65500x65500", raw("image/jpeg", withJpegSize(jpeg, 65_500, 65_500)),
                        Expected.refused(413, "IMAGE_TOO_LARGE")),
                // images whose header reads: the worker finds them out, the poll answers 422
                row("truncated JPEG (header intact)", raw("image/jpeg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3)),
                        Expected.failsAfterAcceptance("IMAGE_UNDECODABLE")),
                row("truncated PNG (header intact)", raw("image/png", Arrays.copyOf(png, png.length / 2)),
                        Expected.failsAfterAcceptance("IMAGE_UNDECODABLE")),
                row("PNG with a chunk declaring 4 GB (found by ImageDecoderFuzzTest)",
                        raw("image/png", withIdatLength(handMadePng(4, 3), 0xFFFFFFEDL)),
                        Expected.failsAfterAcceptance("IMAGE_UNDECODABLE")),
                // unusual but valid images: read
                row("1x1 image", raw("image/png", TestImages.blank(1, 1).bytes()), Expected.succeeds("")),
                row("100000x10 image", raw("image/png", TestImages.blank(100_000, 10).bytes()), Expected.succeeds("")),
                row("CMYK JPEG", raw("image/jpeg", TestImages.cmykJpeg(TestImages.drawn("CMYK 42"))),
                        Expected.succeeds("CMYK42")),
                row("16-bit PNG", raw("image/png", TestImages.grey16Png(TestImages.drawn("DEEP 16"))),
                        Expected.succeeds("DEEP16")),
                row("animated GIF: the first frame is read", raw("image/gif", TestImages.sequence("gif",
                        TestImages.drawn("FRAME 1"), TestImages.drawn("OTHER 2"))), Expected.succeeds("FRAME1")),
                row("multi-page TIFF: a document, every page is read", raw("image/tiff", TestImages.sequence("tiff",
                        TestImages.drawn("PAGE 1"), TestImages.drawn("OTHER 2"))), Expected.succeeds("PAGE1OTHER2")),
                // the request around the image
                row("wrong content type: text/plain", raw("text/plain", "hello, not an image".getBytes(StandardCharsets.UTF_8)),
                        Expected.refused(415, "UNSUPPORTED_MEDIA_TYPE")),
                row("no content type", noContentType(GOOD), Expected.refused(415, "UNSUPPORTED_MEDIA_TYPE")),
                row("multipart without the image part", rest(() -> given().multiPart("picture", "a.png", GOOD, "image/png")),
                        Expected.refused(400, "IMAGE_MISSING")),
                row("multipart without a boundary", rawRequest(GOOD, "Content-Type: multipart/form-data"),
                        Expected.refused(400, "INVALID_REQUEST")),
                row("multipart part header without a colon", rawRequest(
                        "--DDDD\r\nthis is not a header\r\n--DDDD--\r\n".getBytes(StandardCharsets.US_ASCII),
                        "Content-Type: multipart/form-data; boundary=DDDD"), Expected.refused(400, "INVALID_REQUEST")),
                row("multipart with 1,001 parts", rawRequest(manyParts(1_001),
                        "Content-Type: multipart/form-data; boundary=DDDD"), Expected.refused(400, "INVALID_REQUEST")),
                row("multipart with two image parts: the pages of one document", rest(() -> given()
                        .multiPart("image", "a.png", GOOD, "image/png").multiPart("image", "b.png", GOOD, "image/png")),
                        Expected.succeeds("MATRIX2026MATRIX2026")),
                row("SVG labelled image/svg+xml", raw("image/svg+xml", ("<?xml version=\"1.0\"?>\n<svg xmlns="
                        + "\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>").getBytes(StandardCharsets.UTF_8)),
                        Expected.refused(415, "UNSUPPORTED_MEDIA_TYPE")),
                row("POST on a result", rawRequestTo("/ocr/result/" + UUID.randomUUID(), new byte[0]),
                        Expected.refused(405, "METHOD_NOT_ALLOWED")),
                // query parameters
                row("empty rec=", query("rec="), Expected.refused(400, "INVALID_PARAMETER")),
                row("det given twice", query("det=true&det=false"), Expected.refused(400, "INVALID_PARAMETER")),
                row("misspelt option clss=false", query("clss=false"), Expected.refused(400, "INVALID_PARAMETER")),
                row("callback_url of 3,000 characters", callback("https://example.com/" + "a".repeat(3_000)),
                        Expected.refused(400, "INVALID_CALLBACK_URL")),
                row("multipart cut inside the image part", rawRequest(cutMultipart(png),
                        "Content-Type: multipart/form-data; boundary=matrix-boundary"), Expected.refused(400, "INVALID_REQUEST")),
                row("body over the size limit", raw("image/png", new byte[MAX_BYTES + 1]),
                        Expected.refused(413, "PAYLOAD_TOO_LARGE")),
                // CloudEvents
                row("binary CloudEvent without ce-id", event(Map.of("ce-id", "")), Expected.refused(400, "EVENT_MALFORMED")),
                row("binary CloudEvent with specversion 2.0", event(Map.of("ce-specversion", "2.0")),
                        Expected.refused(400, "EVENT_MALFORMED")),
                row("binary CloudEvent with specversion 0.3", event(Map.of("ce-specversion", "0.3")),
                        Expected.refused(400, "EVENT_MALFORMED")),
                row("binary CloudEvent with an empty ce-source", rawEvent("Content-Type: image/png", "ce-source: "),
                        Expected.refused(400, "EVENT_MALFORMED")),
                row("binary CloudEvent with a ce-id of 7,000 characters", event(Map.of("ce-id", "i".repeat(7_000))),
                        Expected.refused(400, "EVENT_MALFORMED")),
                row("binary CloudEvent without Content-Type", rawEvent("ce-source: /tests/matrix"),
                        Expected.refused(415, "UNSUPPORTED_MEDIA_TYPE")),
                row("structured CloudEvent, body null", structured("null"), Expected.refused(400, "EVENT_MALFORMED")),
                row("structured CloudEvent, broken JSON", structured("{\"specversion\":\"1.0\",\"id\":"),
                        Expected.refused(400, "EVENT_MALFORMED")),
                row("structured CloudEvent, data_base64 not base64", structured("{\"specversion\":\"1.0\",\"id\":\"x\","
                        + "\"source\":\"/t\",\"type\":\"" + REQUESTED + "\",\"data_base64\":\"%%% not base64 %%%\"}"),
                        Expected.refused(400, "EVENT_MALFORMED")),
                // callback URLs into private networks
                row("callback to 127.0.0.1", callback("http://127.0.0.1:8080/hook"), Expected.refused(400, "INVALID_CALLBACK_URL")),
                row("callback to 10.x", callback("http://10.20.30.40/hook"), Expected.refused(400, "INVALID_CALLBACK_URL")),
                row("callback to 169.254.169.254", callback("http://169.254.169.254/latest/meta-data/"),
                        Expected.refused(400, "INVALID_CALLBACK_URL")),
                row("callback to [::1]", callback("http://[::1]:8080/hook"), Expected.refused(400, "INVALID_CALLBACK_URL")),
                // Idempotency-Key
                row("Idempotency-Key of 10,000 characters", idempotencyKey("k".repeat(10_000)),
                        Expected.refused(400, "INVALID_PARAMETER")),
                row("Idempotency-Key with a tab", idempotencyKey("key\twith-tab"), Expected.refused(400, "INVALID_PARAMETER")),
                row("empty Idempotency-Key", idempotencyKey(""), Expected.refused(400, "INVALID_PARAMETER")),
                // HTTP forbids these bytes in a header (RFC 9110, 5.5): the HTTP layer refuses the request
                row("Idempotency-Key with a control character", idempotencyKey("key\u0001ctl"), Expected.refusedByHttp(400)),
                row("Idempotency-Key with DEL", idempotencyKey("key\u007fdel"), Expected.refusedByHttp(400)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("matrix")
    @Order(1)
    void badInputGetsItsDocumentedAnswer(Request request, Expected expected) throws IOException {
        RawHttp.Reply reply = request.send(base);
        assertEquals(expected.status(), reply.status(), () -> "answer " + reply);
        if (expected.status() != 202 && expected.code() == null) {
            assertEquals("", reply.body(), () -> "answer " + reply);
            return;
        }
        assertTrue(reply.headers().getOrDefault("content-type", "").startsWith("application/json"),
                () -> "answer " + reply);
        JsonPath body = new JsonPath(reply.body());
        if (expected.status() != 202) {
            assertEquals(expected.code(), body.getString("error.code"), () -> "answer " + reply);
            String message = body.getString("error.message");
            assertTrue(message != null && !message.isBlank(), () -> "answer " + reply);
            assertFalse(JAVA_NAME.matcher(message).find(), () -> "a Java name in " + reply);
            assertTrue(body.getMap("").containsKey("request_id"), () -> "answer " + reply);
            assertNull(body.getString("request_id"), () -> "answer " + reply);
            return;
        }
        String id = body.getString("request_id");
        assertNotNull(id, () -> "answer " + reply);
        ValidatableResponse done = awaitFinal(id);
        if (expected.finalStatus() == 200) {
            done.statusCode(200).body("status", equalTo("succeeded"));
            String text = done.extract().path("text");
            // the words may come as one line or two, depending on the gap the detector sees between them
            assertTrue(text.replaceAll("\\s", "").contains(expected.text()), () -> "recognised '" + text + "'");
        } else {
            ErrorAssertions.assertJobError(done, expected.finalStatus(), expected.finalCode(), id);
        }
    }

    @Test
    @Order(2)
    void aGoodImageStillCompletesAfterTheMatrix() {
        String id = given().contentType("image/png").body(GOOD).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        awaitFinal(id).statusCode(200).body("status", equalTo("succeeded")).body("text", containsString("2026"));
        String event = given().headers(binaryHeaders(Map.of())).body(GOOD).when().post("/")
                .then().statusCode(202).extract().path("request_id");
        awaitFinal(event).statusCode(200).body("text", containsString("2026"));
    }

    @Test
    @Order(3)
    void anIdempotencyKeyNamesTheWholeRequest() {
        String key = "matrix-" + UUID.randomUUID();
        String first = given().header("Idempotency-Key", key).contentType("image/png").body(GOOD)
                .when().post("/ocr/async?cls=false").then().statusCode(202).extract().path("request_id");
        given().header("Idempotency-Key", key).contentType("image/png").body(GOOD).when().post("/ocr/async?cls=true")
                .then().statusCode(422).body("error.code", equalTo("IDEMPOTENCY_KEY_REUSED"))
                .body("request_id", equalTo(first));
        awaitFinal(first).statusCode(200);
        given().header("Idempotency-Key", key).contentType("image/png").body(GOOD).when().post("/ocr/async?cls=false")
                .then().statusCode(202).body("request_id", equalTo(first)).body("status", equalTo("succeeded"));
    }

    @Test
    @Order(4)
    void anEmptyWaitIsRefused() {
        given().when().get("/ocr/result/" + UUID.randomUUID() + "?wait=").then().statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"));
    }

    @Test
    @Order(5)
    void theLocationIsNotBuiltFromTheClientsHost() {
        String id = given().header("Host", "evil.example:666").header("X-Forwarded-Host", "evil.example")
                .contentType("image/png").body(GOOD).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        given().header("Host", "evil.example:666").contentType("image/png").body(GOOD).when().post("/ocr/async")
                .then().statusCode(202).header("Location", startsWith("/ocr/result/"));
        assertNotNull(id);
    }

    // ---- the rows' requests

    private static Arguments row(String name, Request request, Expected expected) {
        return Arguments.of(Named.of(name, request), expected);
    }

    private static Request raw(String contentType, byte[] body) {
        return rest(() -> given().contentType(contentType).body(body));
    }

    private static Request rest(Supplier<RequestSpecification> request) {
        return rest(request, "/ocr/async");
    }

    /** Built when sent: REST Assured takes the test port only once Quarkus has started. */
    private static Request rest(Supplier<RequestSpecification> request, String path) {
        return base -> reply(request.get().when().post(path));
    }

    /** A request written byte by byte, for what HTTP clients will not send: no Content-Type, control characters. */
    private static Request rawRequest(byte[] body, String... headers) {
        return rawRequestTo("/ocr/async", body, headers);
    }

    private static Request rawRequestTo(String path, byte[] body, String... headers) {
        return base -> {
            try (RawHttp http = new RawHttp(base)) {
                String[] all = Arrays.copyOf(headers, headers.length + 1);
                all[headers.length] = "Content-Length: " + body.length;
                http.head("POST " + path + " HTTP/1.1", all);
                http.bytes(body);
                return http.read();
            }
        };
    }

    private static Request query(String query) {
        return rest(() -> given().contentType("image/png").body(GOOD), "/ocr/async?" + query);
    }

    /** A binary-mode event with these headers besides a fresh id, the type and specversion 1.0. */
    private static Request rawEvent(String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 3);
        all[headers.length] = "ce-specversion: 1.0";
        all[headers.length + 1] = "ce-id: " + UUID.randomUUID();
        all[headers.length + 2] = "ce-type: " + REQUESTED;
        return rawRequestTo("/", GOOD, all);
    }

    /** A multipart body of {@code count} small text fields. */
    private static byte[] manyParts(int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("--DDDD\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        }
        return body.append("--DDDD--\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static Request noContentType(byte[] body) {
        return rawRequest(body);
    }

    private static Request idempotencyKey(String key) {
        return rawRequest(GOOD, "Content-Type: image/png", "Idempotency-Key: " + key);
    }

    private static Request callback(String url) {
        return rest(() -> given().contentType("image/png").body(GOOD).queryParam("callback_url", url));
    }

    private static Request event(Map<String, String> changed) {
        return rest(() -> given().headers(binaryHeaders(changed)).body(GOOD), "/");
    }

    private static Request structured(String json) {
        return rest(() -> given().contentType("application/cloudevents+json").body(json.getBytes(StandardCharsets.UTF_8)), "/");
    }

    /** A binary-mode request event, with some headers replaced (an empty value drops the header). */
    private static Map<String, String> binaryHeaders(Map<String, String> changed) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "image/png", "ce-specversion", "1.0",
                "ce-id", UUID.randomUUID().toString(), "ce-source", "/tests/matrix", "ce-type", REQUESTED));
        headers.putAll(changed);
        headers.values().removeIf(String::isEmpty);
        return headers;
    }

    /** A multipart body that ends inside the image part: no closing boundary. */
    private static byte[] cutMultipart(byte[] image) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--matrix-boundary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(image, 0, image.length / 2);
        return body.toByteArray();
    }

    private static RawHttp.Reply reply(Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().forEach(h -> headers.put(h.getName().toLowerCase(Locale.ROOT), h.getValue()));
        return new RawHttp.Reply(response.statusCode(), headers, response.asString());
    }

    // ---- hand-made images

    /**
     * A 1-bit PNG whose IHDR declares the size and whose only IDAT, right after it, holds one compressed row:
     * under 200 bytes whatever the size (a decompression bomb when large).
     */
    private static byte[] handMadePng(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(pngChunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 1).put((byte) 0).put(new byte[3]).array()));
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1 + (width + 7) / 8]);
        deflater.finish();
        byte[] compressed = new byte[1024];
        int length = deflater.deflate(compressed);
        deflater.end();
        out.writeBytes(pngChunk("IDAT", Arrays.copyOf(compressed, length)));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        byte[] bomb = out.toByteArray();
        assertTrue(bomb.length < 200, "PNG of " + bomb.length + " bytes");
        return bomb;
    }

    /** The hand-made PNG with its IDAT declaring {@code length} bytes (it holds a few). */
    private static byte[] withIdatLength(byte[] png, long length) {
        byte[] out = png.clone();
        ByteBuffer.wrap(out).putInt(8 + 25, (int) length); // IDAT follows the signature and IHDR (25 bytes)
        return out;
    }

    private static byte[] pngChunk(String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** The JPEG with its baseline frame header (SOF0) rewritten to declare another size. */
    private static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int at = 2; at + 9 < out.length; ) {
            int marker = out[at + 1] & 0xFF;
            if (marker == 0xC0) {
                ByteBuffer.wrap(out, at + 5, 4).putShort((short) height).putShort((short) width);
                return out;
            }
            at += 2 + ((out[at + 2] & 0xFF) << 8 | (out[at + 3] & 0xFF));
        }
        throw new AssertionError("no SOF0 in the JPEG");
    }
}
