package dev.asyncocr.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The team's shared data folder ({@code ../shared} beside the checkout, or {@code -Docr.shared.dir}):
 * evaluation images, Paddle weights, CRD schemas. A fresh clone has none, so tests that need it skip
 * there with a message; on CI ({@code CI=true}) it must be present and a missing file fails the test.
 */
public final class SharedData {

    private SharedData() {
    }

    public static Path root() {
        return Path.of(System.getProperty("ocr.shared.dir", "../shared")).toAbsolutePath().normalize();
    }

    /** The file or folder under the shared root, or skips (fails on CI) when it is absent. */
    public static Path require(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            skipOutsideCi(path + " is absent: this test needs the team's shared data (../shared beside the checkout)");
        }
        return path;
    }

    /** Skips the test with the reason, except on CI ({@code CI=true}), where what it needs must be there. */
    public static void skipOutsideCi(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; CI must have it");
        }
        Assumptions.abort(reason + "; skipped");
    }
}
