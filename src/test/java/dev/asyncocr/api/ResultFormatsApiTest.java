package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ?format=}, {@code Accept} and {@code ?words=} on {@code GET /ocr/result/{id}} and {@code POST /ocr}. */
@QuarkusTest
class ResultFormatsApiTest {

    private static final TestImages.Png HELLO = TestImages.text("HELLO WORLD");

    private String id;
    private String text;

    @BeforeEach
    void recognise() {
        JsonPath result = given().contentType("image/png").body(HELLO.bytes()).when().post("/ocr")
                .then().statusCode(200).extract().jsonPath();
        id = result.getString("request_id");
        text = result.getString("text");
    }

    @Test
    void theDefaultJsonHasNoWordsAndWordsTrueAddsThem() {
        List<Map<String, Object>> plain = given().get("/ocr/result/" + id).then().statusCode(200)
                .contentType("application/json").extract().jsonPath().getList("lines");
        plain.forEach(line -> assertFalse(line.containsKey("words"), "no words unless asked: " + line));

        List<Map<String, Object>> lines = given().get("/ocr/result/" + id + "?words=true").then().statusCode(200)
                .extract().jsonPath().getList("lines");
        String words = lines.stream().flatMap(line -> ((List<?>) line.get("words")).stream())
                .map(word -> (String) ((Map<?, ?>) word).get("text")).reduce("", String::concat);
        assertEquals(text.replaceAll("\\s", ""), words);
    }

    @Test
    void textByNameOrByAccept() {
        String byName = given().get("/ocr/result/" + id + "?format=text").then().statusCode(200)
                .contentType("text/plain; charset=utf-8").extract().asString();
        assertEquals(text + "\n", byName);
        String byAccept = given().accept("text/plain").get("/ocr/result/" + id).then().statusCode(200)
                .contentType("text/plain; charset=utf-8").extract().asString();
        assertEquals(byName, byAccept);
    }

    @Test
    void aBrowsersAcceptGetsJson() {
        given().accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .get("/ocr/result/" + id).then().statusCode(200).contentType("application/json")
                .body("text", org.hamcrest.Matchers.equalTo(text));
    }

    @Test
    void hocrAndAltoOnlyByName() throws Exception {
        byte[] hocr = given().get("/ocr/result/" + id + "?format=hocr").then().statusCode(200)
                .contentType("text/html; charset=utf-8").extract().asByteArray();
        var page = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(hocr));
        assertEquals("ocr_page", ((org.w3c.dom.Element) page.getElementsByTagName("div").item(0)).getAttribute("class"));

        String alto = given().get("/ocr/result/" + id + "?format=ALTO").then().statusCode(200)
                .contentType("application/xml").extract().asString();
        assertTrue(alto.contains("http://www.loc.gov/standards/alto/ns-v4#"), alto);
    }

    @Test
    void aSearchablePdfByNameOrByAcceptShowsTheImageUnderItsText() throws Exception {
        byte[] byName = given().get("/ocr/result/" + id + "?format=pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (PDDocument pdf = Loader.loadPDF(byName)) {
            assertEquals(text, new PDFTextStripper().getText(pdf).strip());
            PDPage page = pdf.getPage(0);
            PDImageXObject image = (PDImageXObject) page.getResources()
                    .getXObject(page.getResources().getXObjectNames().iterator().next());
            assertEquals(HELLO.width(), image.getWidth(), "the job's image, kept with its result");
        }
        byte[] byAccept = given().accept("application/pdf").get("/ocr/result/" + id).then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (PDDocument pdf = Loader.loadPDF(byAccept)) {
            assertEquals(text, new PDFTextStripper().getText(pdf).strip());
        }
    }

    @Test
    void anUnknownFormatIs406ListingTheFormats() {
        ErrorAssertions.assertError(given().get("/ocr/result/" + id + "?format=docx").then(), 406, "NOT_ACCEPTABLE")
                .body("error.message", containsString("json, text, hocr, alto, pdf"));
        ErrorAssertions.assertError(given().contentType("image/png").body(HELLO.bytes()).post("/ocr?format=docx")
                .then(), 406, "NOT_ACCEPTABLE");
    }

    @Test
    void theSynchronousCallAnswersInTheFormatAsked() throws Exception {
        String body = given().contentType("image/png").body(HELLO.bytes()).when().post("/ocr?format=text")
                .then().statusCode(200).contentType("text/plain; charset=utf-8").extract().asString();
        assertEquals(text + "\n", body);
        byte[] pdf = given().contentType("image/png").body(HELLO.bytes()).when().post("/ocr?format=pdf")
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertEquals(text, new PDFTextStripper().getText(document).strip());
        }
    }

    @Test
    void aFailedJobAnswersItsJsonErrorWhateverTheFormat() {
        byte[] whole = TestImages.page("CUT SHORT").bytes();
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2); // the header still reads: the worker fails it
        String failed = given().contentType("image/png").body(truncated).post("/ocr/async").then().statusCode(202)
                .extract().path("request_id");
        ErrorAssertions.assertJobError(given().accept("text/plain")
                .get("/ocr/result/" + failed + "?format=hocr&wait=30").then(), 422, "IMAGE_UNDECODABLE", failed);
        ErrorAssertions.assertJobError(given().get("/ocr/result/" + failed + "?format=pdf").then(), 422,
                "IMAGE_UNDECODABLE", failed);
        ErrorAssertions.assertJobError(given().accept("application/pdf").get("/ocr/result/" + failed).then(), 422,
                "IMAGE_UNDECODABLE", failed);
    }
}
