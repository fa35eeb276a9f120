package dev.asyncocr.testing;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Headless Chromium driven through the system's chromedriver ({@code /usr/bin}, or {@code -Dbrowser.chromium} and
 * {@code -Dbrowser.chromedriver}): both paths are given, so Selenium Manager never looks anything up or downloads
 * anything. A fresh profile each time, nothing of Chromium's own on the network. Where either is missing the test
 * skips with a message, except on CI, where it fails ({@link SharedData#skipOutsideCi}).
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /** Starts Chromium with a window of {@code width} x {@code height}; screenshots go to {@code screenshots}. */
    public static Browser start(int width, int height, Path screenshots) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            SharedData.skipOutsideCi(CHROMIUM + " or " + CHROMEDRIVER + " is missing: the browser tests need"
                    + " Chromium and its driver (Debian packages chromium and chromium-driver)");
        }
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("async-ocr-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        // a dialog the page opens must stay open for the test to find, not be dismissed by the next command
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile, screenshots);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The console's messages (and failed loads) since the last call. */
    public List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
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
