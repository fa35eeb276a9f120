package dev.asyncocr.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Headless Chromium driven through the system's chromedriver ({@code /usr/bin}, or {@code -Dbrowser.chromium} and
 * {@code -Dbrowser.chromedriver}): both paths are given, so Selenium Manager never looks anything up or downloads
 * anything. A fresh profile each time, nothing of Chromium's own on the network. Where either is missing the test
 * skips with a message, except on CI, where it fails ({@link SharedData#skipOutsideCi}). Besides the browser, the
 * moves a person makes on the service's page ({@code GET /}): open it, submit a file, save a download.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private final Path downloads;

    private Browser(ChromeDriver driver, Path profile, Path screenshots, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
        this.downloads = downloads;
    }

    /**
     * Starts Chromium with a window of {@code width} x {@code height}; screenshots go to {@code screenshots}, downloads
     * to its {@code downloads} folder.
     */
    public static Browser start(int width, int height, Path screenshots) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            SharedData.skipOutsideCi(CHROMIUM + " or " + CHROMEDRIVER + " is missing: the browser tests need"
                    + " Chromium and its driver (Debian packages chromium and chromium-driver)");
        }
        Path downloads = Files.createDirectories(screenshots.resolve("downloads"));
        Path profile = Files.createTempDirectory("async-ocr-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        // a dialog the page opens must stay open for the test to find, not be dismissed by the next command
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile, screenshots, downloads);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** {@code page} freshly loaded at {@code width} x {@code height}, with the console read empty. */
    public ChromeDriver open(URL page, int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        driver.get(page.toString());
        console();
        return driver;
    }

    /** Chooses {@code file} on the page and submits it. */
    public void upload(Path file) {
        driver.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.id("submit")).click();
    }

    /** The file the browser saved as {@code name}, once it is complete (Chromium renames it when done). */
    public Path downloaded(String name, Duration within) {
        Path file = downloads.resolve(name);
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(file));
        return file;
    }

    /** The console's messages (and failed loads) since the last call. */
    public List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** No error in the console, other than the failed API calls of the given statuses that the scenario provoked. */
    public void assertConsoleClean(int... provokedStatuses) {
        List<String> errors = console().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("/ocr/") || Arrays.stream(provokedStatuses).noneMatch(status ->
                        message.contains(" - Failed to load resource: the server responded with a status of " + status)))
                .toList();
        assertEquals(List.of(), errors, "errors in the browser's console");
    }

    /** Saves the viewport as {@code name}.png under the screenshot folder. */
    public Path screenshot(String name) {
        return save(name, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Saves what {@code element} shows, scrolled to the top of the viewport, as {@code name}.png. */
    public Path screenshot(String name, WebElement element) {
        driver.executeScript("arguments[0].scrollIntoView()", element);
        return save(name, element.getScreenshotAs(OutputType.BYTES));
    }

    private Path save(String name, byte[] png) {
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
