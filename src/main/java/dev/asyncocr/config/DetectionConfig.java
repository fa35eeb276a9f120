package dev.asyncocr.config;

import dev.asyncocr.ocr.DetectionSize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How pages are scaled for the text detector: the largest single lever on CPU time per image. */
@ConfigMapping(prefix = "ocr.detection")
public interface DetectionConfig {

    /**
     * {@code text:PIXELS} (the default, at 32) reads the page at its own size and again, larger, only when
     * the smallest text found is under PIXELS tall; {@code min:PIXELS} scales the short side up to PIXELS, as
     * the reference the evaluation cases come from does; {@code max:PIXELS} scales the long side down to
     * PIXELS and never up, PaddleOCR's own default at 960. Measured in the README, Performance.
     */
    @WithDefault("text:32")
    String size();

    default DetectionSize detectionSize() {
        return DetectionSize.parse(size());
    }
}
