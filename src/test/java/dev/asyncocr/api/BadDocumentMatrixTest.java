package dev.asyncocr.api;

import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.PrometheusScrape;
import dev.asyncocr.testing.RawHttp;
import dev.asyncocr.testing.TestDocuments;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.asyncocr.api.AsyncJobFlowContract.awaitFinal;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-document matrix: broken, hostile and absurd PDFs and TIFFs, each with the answer the README documents
 * for it. A refusal comes at once, with its code, and queues nothing; an accepted one finishes as stated. After
 * each row the service is ready, a good image still completes, and nothing was logged at ERROR (these are the
 * client's mistakes, not the service's). {@link DocumentFlowTest} covers the documents that work.
 */
@QuarkusTest
class BadDocumentMatrixTest {

    /** ocr.document.max-pages and ocr.document.max-bytes, by default. */
    private static final int MAX_PAGES = 500;
    private static final int MAX_BYTES = 50 << 20;
    /** Recognition only: these rows are about reading the document, not about the pipeline. */
    private static final String QUICK = "?det=false&cls=false";
    /** A refusal's longest answer: splitting, let alone rendering, 10,000 pages takes minutes. */
    private static final Duration AT_ONCE = Duration.ofSeconds(10);
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|com|io|org|jakarta)\\.[a-z]+\\.|Exception\\b|Error\\b");
    /** Where the active-content PDF points its actions, forms, links and streams: nothing may arrive. */
    private static final EventReceiver FETCHES = new EventReceiver(0);
    private static final List<String> ERRORS = new CopyOnWriteArrayList<>();
    private static final Handler ERROR_LINES = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                ERRORS.add(record.getLoggerName() + ": " + record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TestHTTPResource("/")
    URL base;

    /** One row's request, sent raw or through REST Assured. */
    @FunctionalInterface
    interface Submission {
        RawHttp.Reply send(URL base) throws IOException;
    }

    /** Refused at once with {@code status} and {@code code} (its message naming {@code says}), or accepted and then checked. */
    record Expected(int status, String code, String says, Consumer<JsonPath> result) {

        static Expected refused(int status, String code, String says) {
            return new Expected(status, code, says, null);
        }

        static Expected finishes(Consumer<JsonPath> result) {
            return new Expected(202, null, null, result);
        }

        @Override
        public String toString() {
            return status == 202 ? "202, then final" : status + " " + code;
        }
    }

    @BeforeAll
    static void watchTheLog() {
        Logger.getLogger("").addHandler(ERROR_LINES);
    }

    @AfterAll
    static void stopWatching() {
        Logger.getLogger("").removeHandler(ERROR_LINES);
        FETCHES.close();
    }

    static Stream<Arguments> matrix() {
        byte[] good = TestDocuments.pdf(null, doc -> TestDocuments.vectorPage(doc, "GOOD PAGE"));
        byte[] locked = TestDocuments.pdf("s3cret", doc -> TestDocuments.scannedPage(doc, TestImages.drawn("LOCKED 7")));
        byte[] garbage = new byte[4096];
        new Random(21).nextBytes(garbage);
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, garbage, 0, 9);
        BufferedImage[] tinyPages = new BufferedImage[1_000];
        Arrays.fill(tinyPages, new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY));
        byte[] thousandPageTiff = TestImages.sequence("tiff", tinyPages);
        return Stream.of(
                row("a JPEG declared application/pdf", pdf(TestImages.encode(TestImages.drawn("JPEG"), "jpeg")),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "not a PDF")),
                row("a PDF cut after 200 bytes", pdf(Arrays.copyOf(good, 200)),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "cannot be read")),
                row("a PDF header, then random bytes", pdf(garbage),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "cannot be read")),
                row("a PDF of zero pages", pdf(TestDocuments.pdf(null, doc -> { })),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "no pages")),
                row("encrypted, no password", pdf(locked),
                        Expected.refused(400, "DOCUMENT_ENCRYPTED", "password")),
                row("encrypted, a wrong password", withPassword(locked, "guess"),
                        Expected.refused(400, "DOCUMENT_ENCRYPTED", "password")),
                row("encrypted, its password", withPassword(locked, "s3cret"), Expected.finishes(result ->
                        assertEquals("LOCKED7", compact(result.getString("text"))))),
                row(MAX_PAGES + 1 + " pages", pdf(TestDocuments.pdf(null, doc -> TestDocuments.blankPages(doc,
                        MAX_PAGES + 1, PDRectangle.A4))), Expected.refused(413, "TOO_MANY_PAGES", "" + MAX_PAGES)),
                row("10,000 pages: refused from the page count, nothing rendered", pdf(TestDocuments.manyPages(10_000)),
                        Expected.refused(413, "TOO_MANY_PAGES", "" + MAX_PAGES)),
                row("one byte over ocr.document.max-bytes", BadDocumentMatrixTest::overTheByteLimit,
                        Expected.refused(413, "PAYLOAD_TOO_LARGE", "" + MAX_BYTES)),
                row("a PDF bomb: an array nested 100,000 deep in the page", pdf(TestDocuments.nestedArrays(100_000)),
                        Expected.finishes(result -> { // PDFBox stops at 500 levels and reads the page as empty
                            assertEquals("succeeded", result.getString("status"));
                            assertEquals("", result.getString("pages[0].text"));
                        })),
                row("a PDF bomb: a chain of 50,000 objects from the page", pdf(TestDocuments.referenceChain(50_000)),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "too deeply")),
                row("an object stream of 2^31 objects inflating to 64 MiB", pdf(TestDocuments.hugeObjectStream(64 << 20)),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "object stream")),
                row("a page tree that loops back to its root", pdf(TestDocuments.pageTreeCycle()),
                        Expected.refused(400, "DOCUMENT_UNREADABLE", "cannot be read")),
                row("a 200 x 200-inch page: rendered at a DPI that fits ocr.api.max-pixels",
                        pdf(TestDocuments.pdf(null, doc -> TestDocuments.vectorPage(doc, "HUGE", 14_400, 14_400, 1_000))),
                        Expected.finishes(result -> {
                            assertEquals("succeeded", result.getString("status"));
                            assertEquals(31, result.getInt("pages[0].dpi"), "sqrt(4e7 pixels / 40,000 square inches)");
                            assertTrue(result.getString("pages[0].notice").contains("Rendered at 31 DPI"),
                                    result.prettify());
                        })),
                row("JavaScript, forms, an attachment, links and actions to a local server", pdf(TestDocuments
                        .activeContent(FETCHES.url(""))), Expected.finishes(result -> {
                            assertEquals("succeeded", result.getString("status"));
                            assertEquals(List.of(), FETCHES.received(r -> true), "requests the PDF caused");
                        })),
                row("a TIFF of 1,000 tiny pages", tiff(thousandPageTiff, ""),
                        Expected.refused(413, "TOO_MANY_PAGES", "" + MAX_PAGES)),
                row("a TIFF of 1,000 tiny pages, pages=1-2: within the limit", tiff(thousandPageTiff, "&pages=1-2"),
                        Expected.finishes(result -> {
                            assertEquals("succeeded", result.getString("status"));
                            assertEquals(List.of(1, 2), result.getList("pages.page", Integer.class));
                        })),
                row("a TIFF whose 2nd page claims 100,000 x 100,000", tiff(claimingSize(TestImages.sequence("tiff",
                        TestImages.drawn("ONE"), TestImages.drawn("TWO")), 1, 100_000, 100_000), ""),
                        Expected.refused(413, "IMAGE_TOO_LARGE", "100000")),
                row("a one-page TIFF claiming 100,000 x 100,000", tiff(claimingSize(TestImages.sequence("tiff",
                        TestImages.drawn("ONE")), 0, 100_000, 100_000), ""), Expected.refused(413, "IMAGE_TOO_LARGE", "100000")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("matrix")
    void eachBadDocumentGetsItsAnswerAndTheServiceCarriesOn(Submission submission, Expected expected)
            throws IOException {
        ERRORS.clear();
        double submitted = submittedJobs();
        long start = System.nanoTime();
        RawHttp.Reply answer = submission.send(base);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[documents] expected %s: answered %d in %d ms%n", expected, answer.status(), took.toMillis());
        assertEquals(expected.status(), answer.status(), () -> "answer " + answer);
        JsonPath body = new JsonPath(answer.body());
        if (expected.status() != 202) {
            assertEquals(expected.code(), body.getString("error.code"), () -> "answer " + answer);
            String message = body.getString("error.message");
            assertTrue(message.contains(expected.says()), () -> "answer " + answer);
            assertFalse(JAVA_NAME.matcher(message).find(), "a Java name in: " + message);
            assertTrue(took.compareTo(AT_ONCE) < 0, "answered in " + took);
            assertEquals(submitted, submittedJobs(), "a refused document queues nothing");
        } else {
            JsonPath result = awaitFinal(body.getString("request_id")).statusCode(200).extract().jsonPath();
            expected.result().accept(result);
        }
        given().when().get("/q/health/ready").then().statusCode(200);
        String id = given().contentType("image/png").body(TestImages.text("STILL 21").bytes()).when()
                .post("/ocr/async" + QUICK).then().statusCode(202).extract().path("request_id");
        awaitFinal(id).statusCode(200).body("status", equalTo("succeeded"));
        assertEquals(List.of(), ERRORS, "ERROR lines for a client's document");
    }

    private static Arguments row(String name, Submission submission, Expected expected) {
        return Arguments.of(Named.of(name, submission), expected);
    }

    private static Submission pdf(byte[] body) {
        return rest(() -> given().contentType("application/pdf").body(body), QUICK);
    }

    private static Submission withPassword(byte[] pdf, String password) {
        // the whole pipeline, so that the text shows the PDF was opened
        return rest(() -> given().multiPart("image", "locked.pdf", pdf, "application/pdf")
                .multiPart("password", password), "?dpi=100");
    }

    private static Submission tiff(byte[] body, String query) {
        return rest(() -> given().contentType("image/tiff").body(body), QUICK + query);
    }

    /** Built when sent: REST Assured takes the test port only once Quarkus has started. */
    private static Submission rest(Supplier<RequestSpecification> request, String query) {
        return base -> {
            Response response = request.get().when().post("/ocr/async" + query);
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach(h -> headers.put(h.getName().toLowerCase(Locale.ROOT), h.getValue()));
            return new RawHttp.Reply(response.statusCode(), headers, response.asString());
        };
    }

    /** A PDF header and zeros, one byte over, written raw: a client library may buffer or resend 50 MiB. */
    private static RawHttp.Reply overTheByteLimit(URL base) throws IOException {
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        try (RawHttp http = new RawHttp(base)) {
            http.head("POST /ocr/async HTTP/1.1", "Content-Type: application/pdf", "Content-Length: " + (MAX_BYTES + 1));
            http.bytes(header);
            http.zeros(MAX_BYTES + 1 - header.length);
            return http.read();
        }
    }

    private static double submittedJobs() {
        return PrometheusScrape.now().value("ocr_jobs_submitted_total");
    }

    /**
     * The TIFF with page {@code frame}'s directory rewritten to claim {@code width} x {@code height}: its pixel
     * data stays as it was, so a reader that believed the header would allocate for the claimed size.
     */
    private static byte[] claimingSize(byte[] tiff, int frame, int width, int height) {
        ByteBuffer file = ByteBuffer.wrap(tiff.clone())
                .order(tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int directory = file.getInt(4);
        for (int i = 0; i < frame; i++) {
            directory = file.getInt(directory + 2 + 12 * Short.toUnsignedInt(file.getShort(directory)));
        }
        for (int entry = 0; entry < Short.toUnsignedInt(file.getShort(directory)); entry++) {
            int at = directory + 2 + 12 * entry;
            int tag = Short.toUnsignedInt(file.getShort(at));
            if (tag == 256 || tag == 257) { // ImageWidth, ImageLength: as one LONG each
                file.putShort(at + 2, (short) 4).putInt(at + 4, 1).putInt(at + 8, tag == 256 ? width : height);
            }
        }
        return file.array();
    }

    private static String compact(String text) {
        return text.replaceAll("\\s", "");
    }
}
