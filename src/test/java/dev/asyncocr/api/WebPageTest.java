package dev.asyncocr.api;

import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.testing.Browser;
import dev.asyncocr.testing.ControlledWorkerProfile;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.SharedData;
import dev.asyncocr.testing.TestDocuments;
import dev.asyncocr.worker.ControlledRecognizer;
import dev.asyncocr.worker.WorkerPool;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.asyncocr.api.ErrorAssertions.assertError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page at {@code GET /}: how it is served, then what a person sees in a real browser (headless Chromium)
 * when they submit an image, a three-page PDF, a file that is none, an image whose text is markup, wait in the
 * queue, cancel a job or a document, or meet a full queue. Every scenario ends with a console free of errors, save
 * the failed request the scenario provoked. The key prompt of a service with tenants is {@link WebPageTenantsTest}.
 */
@QuarkusTest
@TestProfile(ControlledWorkerProfile.class)
class WebPageTest {

    private static final Path SCREENSHOTS = Path.of("target/web-page");
    private static final Path STATIC_ROOT = Path.of("src/main/resources/META-INF/resources");
    private static final Duration FINISH_WITHIN = Duration.ofSeconds(120);
    private static final String MARKUP = "<img src=x onerror=alert(1)>";
    private static final List<String> PDF_PAGES = List.of("FIRST PAGE 111", "SECOND PAGE 222", "THIRD PAGE 333");
    /** Low enough to keep the pages quick to read, high enough for 36-point text. */
    private static final int PDF_DPI = 100;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;
    @Inject
    ControlledRecognizer recognizer;
    @Inject
    JobStore store;
    @Inject
    WorkerPool pool;

    @AfterEach
    void drain() {
        recognizer.reset();
        await().atMost(FINISH_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertTrue(
                store.queuedCount() == 0 && pool.inFlight() == 0,
                () -> "the queue did not drain: " + store.queuedCount() + " queued, " + pool.inFlight() + " running"));
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void thePageIsServedAtTheRootWithAPolicyThatAllowsOnlyItsOwnFiles() {
        given().when().get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", WebPage.CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<script type=\"module\" src=\"/ui/page.js\"></script>"));
        for (String asset : List.of("/ui/page.js", "/ui/page.css", "/ui/icon.svg")) {
            given().when().get(asset).then().statusCode(200)
                    .header("Content-Security-Policy", WebPage.CONTENT_SECURITY_POLICY);
        }
        // POST / is still the CloudEvents ingress, answered as such and without the page's headers
        assertError(given().contentType("image/png").body(TestImages.text("NO EVENT").bytes()).when().post("/").then(),
                400, "EVENT_MALFORMED").header("Content-Security-Policy", nullValue());
    }

    @Test
    void thePageIsSmallAndLoadsNothingFromElsewhereNorRunsInlineCode() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(STATIC_ROOT)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
            String text = Files.readString(file);
            // the SVG namespace is a name, not a place the page loads from
            String outside = text.replace("http://www.w3.org/2000/svg", "");
            assertFalse(outside.contains("http://") || outside.contains("https://") || outside.contains("url("),
                    file + " refers to another origin");
        }
        assertTrue(bytes < 100 * 1024, "the page weighs " + bytes + " bytes");
        String html = Files.readString(STATIC_ROOT.resolve("index.html"));
        assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=).*"), "an inline script");
        assertFalse(html.contains("<style") || html.contains(" style=") || html.matches("(?s).*\\son[a-z]+=.*"),
                "inline style or an event handler attribute");
        String script = Files.readString(STATIC_ROOT.resolve("ui/page.js"));
        for (String markupSink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")) {
            assertFalse(script.contains(markupSink), "page.js uses " + markupSink);
        }
    }

    @Test
    void missingPageFilesAreCountedWithoutTheirPaths() {
        String made = "/ui/" + UUID.randomUUID();
        given().when().get(made).then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(200).body(not(containsString(made)));
    }

    @Test
    void anImageShowsOneBoxPerLineWithTheApisTextsAndLinksToEveryFormat() throws Exception {
        Path image = SharedData.require("eval/rapidocr/ch_en_num.jpg");
        ChromeDriver driver = open(1280, 900);
        browser.upload(image);
        awaitResult(driver);
        JsonPath api = apiResult(driver);
        List<String> texts = api.getList("lines.text");
        assertTrue(texts.size() > 5, api.prettify());
        assertEquals(texts.size(), driver.findElements(By.cssSelector("#overlay polygon.box")).size());
        assertEquals(texts, shownLines(driver));
        assertEquals("Status: succeeded", driver.findElement(By.id("status")).getText());
        assertTrue(driver.findElement(By.id("image")).isDisplayed(), "the upload is shown under its boxes");
        assertTrue(driver.findElement(By.id("timings")).getText().contains("det"));
        Set<String> formats = driver.findElements(By.cssSelector("#downloads a")).stream()
                .map(link -> link.getDomAttribute("data-format")).collect(Collectors.toSet());
        Set<String> written = Arrays.stream(ResultFormat.values()).map(ResultFormat::wireName).collect(Collectors.toSet());
        assertTrue(formats.containsAll(written), "links for " + formats + ", the API writes " + written);
        String textLink = driver.findElement(By.cssSelector("#downloads a[data-format='text']")).getDomAttribute("href");
        assertEquals(api.getString("text"), given().when().get(textLink).then().statusCode(200).extract().asString().strip());

        // the keyboard reaches the lines in one tab stop, and a focused line lights its box
        driver.findElement(By.id("copy")).sendKeys(Keys.TAB);
        assertLit(driver, 0);
        driver.executeScript("document.getElementById('result').scrollIntoView()");
        browser.screenshot("image-result"); // docs/screenshot.png
        driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        assertLit(driver, 1);
        driver.switchTo().activeElement().sendKeys(Keys.END);
        assertLit(driver, texts.size() - 1);
        // and the pointer on a box lights its line
        WebElement box = driver.findElement(By.cssSelector("#overlay polygon.box[data-line='2']"));
        new Actions(driver).moveToElement(box).perform();
        await().atMost(Duration.ofSeconds(5)).until(() -> lineClass(driver, 2).contains("active"));

        driver.findElement(By.id("copy")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> !driver.findElement(By.id("copy-status")).getText().isEmpty());
        browser.assertConsoleClean();

        // a reload keeps the job in this browser's list; choosing it shows its boxes again on a blank page
        driver.navigate().refresh();
        WebElement recent = driver.findElement(By.cssSelector("#recent-list button"));
        assertTrue(recent.getText().startsWith("ch_en_num.jpg: succeeded"), recent.getText());
        recent.click();
        awaitResult(driver);
        assertEquals(texts, shownLines(driver));
        assertTrue(driver.findElement(By.id("canvas")).getDomAttribute("class").contains("blank"));

        // at a phone's width everything fits the screen's width
        driver.manage().window().setSize(new Dimension(390, 844));
        await().atMost(Duration.ofSeconds(5)).until(() -> (Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        browser.screenshot("phone-width");
        browser.assertConsoleClean();
    }

    @Test
    void aThreePagePdfShowsItsProgressEachPageWithItsOwnBoxesAndDownloadsAFormat() throws Exception {
        Path pdf = Files.write(inputs().resolve("three-pages.pdf"),
                TestDocuments.pdf(null, doc -> PDF_PAGES.forEach(text -> TestDocuments.vectorPage(doc, text))));
        ChromeDriver driver = open(1280, 900);
        driver.findElement(By.id("opt-dpi")).sendKeys(String.valueOf(PDF_DPI));
        browser.upload(pdf);
        awaitResult(driver);
        assertEquals("3 of 3", driver.findElement(By.id("progress-count")).getText());
        assertEquals("3", driver.findElement(By.id("progress")).getDomProperty("value"));
        JsonPath api = apiResult(driver);
        Set<String> pageTexts = new HashSet<>(api.getList("pages.text"));
        assertEquals(PDF_PAGES.size(), pageTexts.size(), "each page reads its own text: " + api.prettify());
        assertEquals(List.of(PDF_DPI, PDF_DPI, PDF_DPI), api.getList("pages.dpi"), "the DPI option");
        for (int page = 1; page <= PDF_PAGES.size(); page++) {
            if (page > 1) {
                driver.findElement(By.id("page-next")).click();
            }
            assertShowsPage(driver, api, page);
        }
        assertFalse(driver.findElement(By.id("page-next")).isEnabled(), "next, on the last page");
        browser.screenshot("document-page-3", driver.findElement(By.id("result")));
        driver.findElement(By.id("page-prev")).click();
        assertShowsPage(driver, api, 2);

        WebElement textLink = driver.findElement(By.cssSelector("#downloads a[data-format='text']"));
        textLink.click();
        Path saved = browser.downloaded(textLink.getDomAttribute("download"), Duration.ofSeconds(30));
        assertEquals(given().when().get(textLink.getDomAttribute("href")).then().statusCode(200).extract().asString(),
                Files.readString(saved));
        browser.assertConsoleClean();
    }

    @Test
    void aFileThatIsNoImageShowsTheApisCodeAndMessage() throws Exception {
        Path notes = Files.writeString(inputs().resolve("notes.txt"), "this is plain text, not an image");
        ExtractableResponse<Response> expected = given().multiPart("image", notes.toFile(), "text/plain")
                .when().post("/ocr/async").then().extract();
        assertTrue(expected.statusCode() >= 400, expected.asString());
        ChromeDriver driver = open(1280, 900);
        browser.upload(notes);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertEquals(expected.path("error.code"), driver.findElement(By.id("error-code")).getText());
        assertEquals(expected.path("error.message"), driver.findElement(By.id("error-message")).getText());
        assertEquals("(HTTP " + expected.statusCode() + ")", driver.findElement(By.id("error-status")).getText());
        assertFalse(driver.findElement(By.id("result")).isDisplayed());
        browser.screenshot("not-an-image", driver.findElement(By.id("job")));
        browser.assertConsoleClean(expected.statusCode());
    }

    @Test
    void recognisedMarkupIsShownAsTheCharactersItIsWithItsWordBoxes() throws Exception {
        Path image = Files.write(inputs().resolve("markup.png"),
                DrawnPage.png(1200, 160, g -> g.drawString(MARKUP, 30, 105)));
        ChromeDriver driver = open(1280, 900);
        driver.findElement(By.id("opt-words")).click();
        browser.upload(image);
        awaitResult(driver);
        JsonPath api = apiResult(driver);
        String read = api.getString("text");
        assertTrue(read.contains("<") && read.contains(">") && read.contains("onerror"),
                "the recogniser read " + read + ": no markup to test the page with");
        assertEquals(api.getList("lines.text"), shownLines(driver));
        int words = api.<List<Object>>getList("lines.words").stream().mapToInt(List::size).sum();
        assertTrue(words > 1, api.prettify());
        assertEquals(words, driver.findElements(By.cssSelector("#overlay polygon.word")).size(), "word boxes");
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), "a dialog opened");
        assertEquals(1L, driver.executeScript("return document.images.length"), "an element was injected");
        assertEquals(0L, driver.executeScript("return document.querySelectorAll('#lines *:not(span)').length - "
                + "document.querySelectorAll('#lines li').length"), "markup inside the lines");
        browser.screenshot("markup-result", driver.findElement(By.id("result")));
        browser.assertConsoleClean();
    }

    @Test
    void aRunningJobIsCancelledFromThePage() throws Exception {
        byte[] held = TestImages.page("CANCEL ME").bytes();
        recognizer.hold(held);
        Path image = Files.write(inputs().resolve("held.png"), held);
        ChromeDriver driver = open(1280, 900);
        browser.upload(image);
        assertTrue(recognizer.awaitHeld(held, Duration.ofSeconds(60)), "the job never reached a worker");
        WebElement cancel = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.elementToBeClickable(By.id("cancel")));
        String id = driver.findElement(By.id("job-id")).getText().split(" ")[1]; // "Request <id> (held.png)"
        cancel.click();
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.textToBe(By.id("status"), "Status: cancelled"));
        assertFalse(cancel.isDisplayed());
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id).then(), 410, "JOB_CANCELLED", id);
        browser.screenshot("cancelled", driver.findElement(By.id("job")));
        browser.assertConsoleClean();
    }

    @Test
    void aRunningDocumentIsCancelledFromThePage() throws Exception {
        recognizer.holdEvery();
        int pages = 2 * ControlledWorkerProfile.CONCURRENCY; // as many again wait for a worker
        Path pdf = Files.write(inputs().resolve("long.pdf"),
                TestDocuments.pdf(null, doc -> TestDocuments.blankPages(doc, pages, PDRectangle.A6)));
        ChromeDriver driver = open(1280, 900);
        browser.upload(pdf);
        assertTrue(recognizer.awaitHeldByEvery(ControlledWorkerProfile.CONCURRENCY, Duration.ofSeconds(60)),
                "the document's pages never reached the workers");
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.textToBe(By.id("status"), "Status: processing"));
        assertEquals("0 of " + pages, driver.findElement(By.id("progress-count")).getText());
        String id = driver.findElement(By.id("job-id")).getText().split(" ")[1];
        String image = "/ocr/result/" + id + "/pages/" + pages + "/image";
        // the page is polled when the document's estimate says, which moves with time: only its bounds are fixed
        given().when().get(image).then().statusCode(202).contentType("application/json")
                .header("Retry-After", AsyncJobFlowContract.retryAfterWithinBounds()).body("page", equalTo(pages));
        driver.findElement(By.id("cancel")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.textToBe(By.id("status"), "Status: cancelled"));
        ErrorAssertions.assertJobError(given().when().get("/ocr/result/" + id).then(), 410, "JOB_CANCELLED", id);
        ErrorAssertions.assertJobError(given().when().get(image).then(), 410, "PAGE_IMAGE_GONE", id);
        browser.assertConsoleClean();
    }

    @Test
    void aQueuedJobShowsItsPlaceAndExpectedStartAsTheQueueMoves() throws Exception {
        List<byte[]> running = holdEveryWorker();
        byte[] ahead = TestImages.page("AHEAD").bytes();
        recognizer.hold(ahead);
        AsyncJobFlowContract.submit(ahead);
        Path image = Files.write(inputs().resolve("queued.png"), TestImages.text("QUEUED").bytes());
        ChromeDriver driver = open(1280, 900);
        browser.upload(image);
        awaitQueuePosition(driver, 2);
        browser.screenshot("queued", driver.findElement(By.id("job")));
        recognizer.release(running.get(0)); // its worker takes the job ahead
        assertTrue(recognizer.awaitHeld(ahead, Duration.ofSeconds(60)), "the job ahead never reached a worker");
        awaitQueuePosition(driver, 1);
        recognizer.releaseAll();
        new WebDriverWait(driver, FINISH_WITHIN).until(ExpectedConditions.textToBe(By.id("status"), "Status: succeeded"));
        assertFalse(driver.findElement(By.id("queue")).isDisplayed(), "a place in the queue, after it ran");
        browser.assertConsoleClean();
    }

    @Test
    void aFullQueueShowsItsCodeMessageAndRetryAfter() throws Exception {
        holdEveryWorker();
        byte[] tiny = TestImages.blank(64, 32).bytes();
        for (int i = 0; i < ControlledWorkerProfile.MAX_DEPTH; i++) {
            AsyncJobFlowContract.submit(tiny, "?det=false&cls=false");
        }
        Path image = Files.write(inputs().resolve("one-too-many.png"), TestImages.text("ONE TOO MANY").bytes());
        ChromeDriver driver = open(1280, 900);
        browser.upload(image);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertEquals("QUEUE_FULL", driver.findElement(By.id("error-code")).getText());
        assertEquals("(HTTP 503)", driver.findElement(By.id("error-status")).getText());
        assertFalse(driver.findElement(By.id("error-message")).getText().isBlank());
        // the API derives Retry-After from its estimate, 1 to 30 s: the page says what it was told
        Matcher retry = Pattern.compile("The service asks to try again in (\\d+) s\\.")
                .matcher(driver.findElement(By.id("error-retry")).getText());
        assertTrue(retry.matches(), retry::toString);
        int seconds = Integer.parseInt(retry.group(1));
        assertTrue(seconds >= 1 && seconds <= 30, "Retry-After " + seconds);
        browser.screenshot("queue-full", driver.findElement(By.id("job")));
        browser.assertConsoleClean(503);
    }

    /** Holds a job in each worker; answers their images. */
    private List<byte[]> holdEveryWorker() throws InterruptedException {
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < ControlledWorkerProfile.CONCURRENCY; i++) {
            byte[] image = TestImages.page("HOLD " + i).bytes();
            recognizer.hold(image);
            AsyncJobFlowContract.submit(image);
            assertTrue(recognizer.awaitHeld(image, Duration.ofSeconds(60)), "a held job never reached a worker");
            held.add(image);
        }
        return held;
    }

    // ---- the browser's side ----

    /** The page freshly loaded at {@code width} x {@code height}, in the browser the scenarios share. */
    private ChromeDriver open(int width, int height) throws IOException {
        if (browser == null) {
            browser = Browser.start(width, height, SCREENSHOTS);
        }
        return browser.open(root, width, height);
    }

    private static void awaitResult(ChromeDriver driver) {
        new WebDriverWait(driver, FINISH_WITHIN).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
    }

    /** The JSON the page's own download link gives. */
    private static JsonPath apiResult(ChromeDriver driver) {
        String link = driver.findElement(By.cssSelector("#downloads a[data-format='json']")).getDomAttribute("href");
        return given().when().get(link).then().statusCode(200).extract().jsonPath();
    }

    /** The lines' texts as the page holds them, character for character. */
    private static List<String> shownLines(ChromeDriver driver) {
        return driver.findElements(By.cssSelector("#lines li .line-text")).stream()
                .map(text -> text.getDomProperty("textContent")).toList();
    }

    /**
     * The page's page {@code page}: its number, its lines as the API has them, each in its box, over the page's
     * image as the service rendered it, of the page's size.
     */
    private static void assertShowsPage(ChromeDriver driver, JsonPath api, int page) {
        String at = "pages[" + (page - 1) + "]";
        List<String> lines = api.getList(at + ".lines.text");
        assertFalse(lines.isEmpty(), api.prettify());
        assertEquals("Page " + page + " (" + page + " of " + PDF_PAGES.size() + ")",
                driver.findElement(By.id("page-label")).getText());
        assertEquals(lines, shownLines(driver));
        String size = api.getInt(at + ".width") + " " + api.getInt(at + ".height");
        // the page's image loaded at the page's size, and the boxes drawn over it
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> size.equals(driver.executeScript(
                "const image = document.getElementById('image');"
                        + "return image.complete && !image.hidden && image.src.startsWith('blob:')"
                        + " && document.getElementById('overlay').getAttribute('viewBox') === '0 0 ' + "
                        + "image.naturalWidth + ' ' + image.naturalHeight"
                        + " ? image.naturalWidth + ' ' + image.naturalHeight : null")));
        assertEquals(lines.size(), driver.findElements(By.cssSelector("#overlay polygon.box")).size());
        assertTrue(driver.findElements(By.cssSelector("#overlay text.page-text")).isEmpty(), "text drawn on the image");
    }

    private static void awaitQueuePosition(ChromeDriver driver, int position) {
        Pattern shown = Pattern.compile("Position in the queue: " + position + ", expected to start at \\S.*");
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> shown.matcher(
                d.findElement(By.id("queue")).getText()).matches());
    }

    private static void assertLit(ChromeDriver driver, int line) {
        WebElement focused = driver.switchTo().activeElement();
        assertEquals(String.valueOf(line), focused.getDomAttribute("data-line"), "the focused line");
        List<String> lit = driver.findElements(By.cssSelector("#overlay polygon.box.active")).stream()
                .map(box -> box.getDomAttribute("data-line")).toList();
        assertEquals(List.of(String.valueOf(line)), lit, "the lit boxes");
    }

    private static String lineClass(ChromeDriver driver, int line) {
        return driver.findElement(By.cssSelector("#lines li[data-line='" + line + "']")).getDomAttribute("class");
    }

    private static Path inputs() throws IOException {
        return Files.createDirectories(SCREENSHOTS.resolve("inputs"));
    }
}
