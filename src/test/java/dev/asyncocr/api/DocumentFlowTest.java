package dev.asyncocr.api;

import dev.asyncocr.testing.SharedData;
import dev.asyncocr.testing.TestDocuments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Documents end to end: a PDF and a multi-page TIFF in, one page task each, pages and progress out. */
@QuarkusTest
class DocumentFlowTest {

    private static final byte[] PDF = TestDocuments.pdf(null, doc -> {
        TestDocuments.scannedPage(doc, TestImages.drawn("SCAN ONE"));
        TestDocuments.vectorPage(doc, "VECTOR TWO");
        TestDocuments.scannedPage(doc, TestImages.drawn("SCAN THREE"));
    });

    @Test
    void aPdfsSelectedPagesAreReadEachOnItsOwnAndAnswerAsTheyFinish() throws IOException {
        Response submitted = given().contentType("application/pdf").body(PDF).queryParam("pages", "1,3")
                .queryParam("dpi", "120").when().post("/ocr/async");
        submitted.then().statusCode(202).body("pages_total", equalTo(2))
                .body("progress.pending", equalTo(2));
        String id = submitted.path("request_id");

        JsonPath result = awaitFinal(id).statusCode(200).extract().jsonPath();
        assertEquals("succeeded", result.getString("status"), result.prettify());
        assertEquals(List.of(1, 3), result.getList("pages.page", Integer.class));
        assertEquals("SCANONE", compact(result.getString("pages[0].text")));
        assertEquals("SCANTHREE", compact(result.getString("pages[1].text")));
        assertEquals(120, result.getInt("pages[0].dpi"));
        assertEquals("ocr", result.getString("pages[0].source"));
        assertEquals(2, result.getInt("progress.succeeded"));
        assertTrue(result.getString("text").contains("\f"), "pages are joined by a form feed");

        given().when().get("/ocr/result/" + id + "/pages/3").then().statusCode(200)
                .body("status", equalTo("succeeded"));
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id + "/pages/2").then(), 404,
                "PAGE_NOT_FOUND", id);
        assertEquals(List.of(3), given().queryParam("pages", "3").when().get("/ocr/result/" + id).then()
                .statusCode(200).extract().jsonPath().getList("pages.page", Integer.class), "a slice");
        String text = given().queryParam("format", "text").when().get("/ocr/result/" + id).then().statusCode(200)
                .extract().asString();
        assertEquals("SCANONE\fSCANTHREE", text.replace(" ", "").replace("\n", ""), "one text page per page");
        assertPageImageIsTheRenderedPage(id, result, 3, 120);
    }

    /**
     * A page's image is the page as PDFBox renders it at the job's DPI, pixel for pixel, the size the result gives,
     * dark where its first line's box is; a page the job does not read, or an image's job, has none; it reads no
     * query parameter.
     */
    private static void assertPageImageIsTheRenderedPage(String id, JsonPath result, int page, int dpi)
            throws IOException {
        String at = "pages.find { it.page == " + page + " }.";
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(given().when()
                .get("/ocr/result/" + id + "/pages/" + page + "/image").then().statusCode(200)
                .contentType("image/png").extract().asByteArray()));
        assertEquals(result.getInt(at + "width"), shown.getWidth());
        assertEquals(result.getInt(at + "height"), shown.getHeight());
        BufferedImage rendered;
        try (PDDocument pdf = Loader.loadPDF(PDF)) {
            rendered = new PDFRenderer(pdf).renderImageWithDPI(page - 1, dpi, ImageType.RGB);
        }
        for (int y = 0; y < shown.getHeight(); y++) {
            for (int x = 0; x < shown.getWidth(); x++) {
                if ((shown.getRGB(x, y) & 0xFFFFFF) != (rendered.getRGB(x, y) & 0xFFFFFF)) {
                    throw new AssertionError("pixel " + x + "," + y + " differs from PDFBox's rendering");
                }
            }
        }
        List<List<Number>> box = result.getList(at + "lines[0].box");
        int darkest = 255;
        for (int y = box.get(0).get(1).intValue(); y <= box.get(2).get(1).intValue(); y++) {
            for (int x = box.get(0).get(0).intValue(); x <= box.get(2).get(0).intValue(); x++) {
                darkest = Math.min(darkest, shown.getRGB(x, y) & 0xFF);
            }
        }
        assertTrue(darkest < 100, "no ink in the first line's box: " + darkest);

        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id + "/pages/2/image").then(), 404,
                "PAGE_NOT_FOUND", id);
        ErrorAssertions.assertError(given().when().get("/ocr/result/" + id + "/pages/3/image?wait=5").then(), 400,
                "INVALID_PARAMETER");
        String image = given().contentType("image/png").body(TestImages.blank(64, 32).bytes())
                .when().post("/ocr/async?det=false&cls=false").then().statusCode(202).extract().path("request_id");
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + image + "/pages/1/image").then(), 404,
                "PAGE_NOT_FOUND", image);
    }

    /**
     * text_layer=auto takes a born-digital page's own text (source pdf) and recognises a scan with a few stray
     * characters on it; text_layer=ocr recognises every page. The searchable PDF is the submitted pages, sizes and
     * rotation kept, with the born-digital page's text in it once.
     */
    @Test
    void aBornDigitalPagesOwnTextIsTakenAndTheSearchablePdfKeepsThePages() throws IOException {
        byte[] pdf = TestDocuments.pdf(null, doc -> {
            TestDocuments.textPage(doc, PDRectangle.LETTER, 90, TestDocuments.INVOICE);
            TestDocuments.addText(doc, TestDocuments.scannedPage(doc, TestImages.drawn("SCAN TWO")), 8,
                    RenderingMode.FILL, List.of("ACME-000123"));
        });
        String id = given().contentType("application/pdf").body(pdf).queryParam("dpi", "100").when()
                .post("/ocr/async").then().statusCode(202).extract().path("request_id");
        JsonPath result = awaitFinal(id).statusCode(200).extract().jsonPath();
        assertEquals(List.of("pdf", "ocr"), result.getList("pages.source", String.class), result.prettify());
        assertEquals(String.join("\n", TestDocuments.INVOICE), result.getString("pages[0].text"));
        assertEquals(1.0, result.getDouble("pages[0].lines[0].confidence"));
        assertTrue(compact(result.getString("pages[1].text")).contains("SCANTWO"), result.getString("pages[1].text"));

        byte[] searchable = given().queryParam("format", "pdf").when().get("/ocr/result/" + id).then()
                .statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (PDDocument original = Loader.loadPDF(pdf); PDDocument out = Loader.loadPDF(searchable)) {
            assertEquals(2, out.getNumberOfPages());
            for (int p = 0; p < 2; p++) {
                assertEquals(original.getPage(p).getMediaBox().toString(), out.getPage(p).getMediaBox().toString());
                assertEquals(original.getPage(p).getRotation(), out.getPage(p).getRotation());
            }
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setEndPage(1);
            assertEquals(String.join("\n", TestDocuments.INVOICE), stripper.getText(out).strip(),
                    "the page's own text, once");
        }

        String forced = given().contentType("application/pdf").body(pdf).queryParam("pages", "1")
                .queryParam("dpi", "100").queryParam("text_layer", "ocr").when().post("/ocr/async").then()
                .statusCode(202).extract().path("request_id");
        JsonPath recognised = awaitFinal(forced).statusCode(200).extract().jsonPath();
        assertEquals("ocr", recognised.getString("pages[0].source"));
        assertTrue(recognised.getString("pages[0].text").contains("Invoice"), recognised.getString("pages[0].text"));
        ErrorAssertions.assertError(given().contentType("application/pdf").body(pdf).queryParam("text_layer", "pdf")
                .when().post("/ocr/async").then(), 400, "INVALID_PARAMETER");
    }

    @Test
    void aMultiPageTiffIsADocumentOfItsFrames() throws IOException {
        byte[] tiff = TestImages.sequence("tiff", TestImages.drawn("FRAME ONE"), TestImages.drawn("FRAME TWO"));
        String id = given().multiPart("image", "fax.tiff", tiff, "image/tiff").when().post("/ocr/async").then()
                .statusCode(202).body("pages_total", equalTo(2)).extract().path("request_id");
        JsonPath result = awaitFinal(id).statusCode(200).extract().jsonPath();
        assertEquals(List.of("FRAMEONE", "FRAMETWO"), result.getList("pages.text", String.class).stream()
                .map(DocumentFlowTest::compact).toList());
        byte[] searchable = given().queryParam("format", "pdf").when().get("/ocr/result/" + id).then()
                .statusCode(200).extract().asByteArray();
        try (PDDocument out = Loader.loadPDF(searchable)) {
            assertEquals(2, out.getNumberOfPages(), "a page per frame");
            for (int p = 0; p < 2; p++) {
                assertEquals(1, out.getPage(p).getResources().getCOSObject().getCOSDictionary(COSName.XOBJECT).size(),
                        "page " + (p + 1) + " shows its frame");
            }
            assertEquals("FRAMEONEFRAMETWO", compact(new PDFTextStripper().getText(out)));
        }
    }

    @Test
    void severalImagePartsAreThePagesOfOneJob() {
        String id = given().multiPart("image", "a.png", TestImages.text("PART ONE").bytes(), "image/png")
                .multiPart("image", "b.png", TestImages.text("PART TWO").bytes(), "image/png")
                .when().post("/ocr/async").then().statusCode(202).body("pages_total", equalTo(2))
                .extract().path("request_id");
        assertEquals("PARTONE\fPARTTWO", awaitFinal(id).statusCode(200).extract().path("text").toString()
                .replace(" ", ""));
    }

    @Test
    void aPdfCanComeAsACloudEvent() {
        byte[] pdf = TestDocuments.pdf(null, doc -> TestDocuments.scannedPage(doc, TestImages.drawn("EVENT PAGE")));
        String id = given().header("ce-specversion", "1.0").header("ce-type", "dev.asyncocr.ocr.requested")
                .header("ce-source", "/document-flow-test").header("ce-id", UUID.randomUUID().toString())
                .contentType("application/pdf").body(pdf).when().post("/").then().statusCode(202)
                .extract().path("request_id");
        JsonPath result = awaitFinal(id).statusCode(200).extract().jsonPath();
        assertEquals(List.of(1), result.getList("pages.page", Integer.class));
        assertEquals("EVENTPAGE", compact(result.getString("text")));
    }

    @Test
    void badDocumentsAreRefusedAtOnceWithTheirCode() {
        byte[] encrypted = TestDocuments.pdf("secret", doc -> TestDocuments.vectorPage(doc, "HIDDEN"));
        ErrorAssertions.assertError(raw("application/pdf", TestImages.text("NOT A PDF").bytes(), ""), 400,
                "DOCUMENT_UNREADABLE");
        ErrorAssertions.assertError(raw("application/pdf", Arrays.copyOf(PDF, 200), ""), 400, "DOCUMENT_UNREADABLE");
        ErrorAssertions.assertError(raw("application/pdf", TestDocuments.pdf(null, doc -> { }), ""), 400,
                "DOCUMENT_UNREADABLE");
        ErrorAssertions.assertError(raw("application/pdf", encrypted, ""), 400, "DOCUMENT_ENCRYPTED");
        given().multiPart("image", "e.pdf", encrypted, "application/pdf").multiPart("password", "secret")
                .when().post("/ocr/async").then().statusCode(202);
        ErrorAssertions.assertError(raw("application/pdf", PDF, "?pages=2-4"), 400, "INVALID_PARAMETER")
                .body("error.message", containsString("3 pages"));
        ErrorAssertions.assertError(raw("application/pdf", PDF, "?pages=two"), 400, "INVALID_PARAMETER");
        ErrorAssertions.assertError(raw("application/pdf", PDF, "?dpi=50"), 400, "INVALID_PARAMETER");
        byte[] thick = TestDocuments.pdf(null, doc -> TestDocuments.blankPages(doc, 501, PDRectangle.A4));
        ErrorAssertions.assertError(raw("application/pdf", thick, ""), 413, "TOO_MANY_PAGES")
                .body("error.message", containsString("500"));
    }

    /**
     * Pages assembled from the shared evaluation images read exactly as each image alone. Each image is decoded once
     * and submitted alone as a lossless PNG of those pixels, so that the comparison is of the document path, not of
     * two JPEG decoders. In the PDF each is a page of its own pixel size rendered at 72 DPI (see
     * {@link TestDocuments#imagePage}); in the TIFF, a lossless frame.
     */
    @Test
    void pagesAssembledFromEvaluationImagesReadAsEachImageAlone() throws IOException {
        Path folder = SharedData.require("eval/rapidocr");
        List<BufferedImage> images = new ArrayList<>();
        for (String name : List.of("issue_170.png", "ch_en_num.jpg", "text_rec.jpg", "en_rec.jpg")) {
            BufferedImage decoded = ImageIO.read(folder.resolve(name).toFile());
            BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            rgb.createGraphics().drawImage(decoded, 0, 0, null);
            images.add(rgb);
        }
        List<String> alone = images.stream().map(image -> raw("image/png", TestImages.encode(image, "png"), "")
                .statusCode(202).extract().<String>path("request_id")).toList();
        String pdf = raw("application/pdf", TestDocuments.pdf(null, doc -> images.forEach(image ->
                TestDocuments.imagePage(doc, image))), "?dpi=72").statusCode(202).extract().path("request_id");
        String tiff = raw("image/tiff", TestImages.sequence("tiff", images.toArray(BufferedImage[]::new)), "")
                .statusCode(202).extract().path("request_id");

        List<String> expected = alone.stream().map(id -> awaitFinal(id).statusCode(200).extract().<String>path("text"))
                .toList();
        assertTrue(expected.stream().allMatch(text -> !text.isBlank()), "each image alone reads some text: " + expected);
        for (String document : List.of(pdf, tiff)) {
            JsonPath result = awaitFinal(document).statusCode(200).extract().jsonPath();
            assertEquals("succeeded", result.getString("status"));
            assertEquals(expected, result.getList("pages.text", String.class), document);
            assertEquals(images.stream().map(BufferedImage::getWidth).toList(),
                    result.getList("pages.width", Integer.class), "each page at the image's own size");
        }
    }

    @Test
    void aPurgedDocumentIsGoneForEveryRead() {
        String id = raw("application/pdf", PDF, "?pages=2").statusCode(202).extract().path("request_id");
        awaitFinal(id).statusCode(200);
        ErrorAssertions.assertError(given().when().delete("/ocr/result/" + id + "?purge=maybe").then(), 400,
                "INVALID_PARAMETER");
        ErrorAssertions.assertError(given().when().get("/ocr/result/" + id + "?purge=true").then(), 400,
                "INVALID_PARAMETER").body("error.message", containsString("purge"));

        given().when().delete("/ocr/result/" + id + "?purge=true").then().statusCode(204);
        for (String read : List.of("", "/pages/2", "?format=text", "?pages=2")) {
            ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id + read).then(), 404,
                    "JOB_NOT_FOUND", id);
        }
        ErrorAssertions.assertJobError(given().when().delete("/ocr/result/" + id + "?purge=true").then(), 404,
                "JOB_NOT_FOUND", id);

        // one not finished is cancelled and purged in the same call: its pages find no job and store nothing
        String running = raw("application/pdf", PDF, "").statusCode(202).extract().path("request_id");
        given().when().delete("/ocr/result/" + running + "?purge=true").then().statusCode(204);
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + running + "/pages/1").then(), 404,
                "JOB_NOT_FOUND", running);
    }

    private static ValidatableResponse raw(String type, byte[] body, String query) {
        return given().contentType(type).body(body).when().post("/ocr/async" + query).then();
    }

    private static ValidatableResponse awaitFinal(String id) {
        return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().when().get("/ocr/result/" + id).then(), r -> r.extract().statusCode() != 202);
    }

    private static String compact(String text) {
        return text.replaceAll("\\s", "");
    }
}
