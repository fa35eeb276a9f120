package dev.asyncocr.config;

import dev.asyncocr.ocr.DetectionSize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How pages are scaled for the text detector: the largest single lever on CPU time per image. */
@ConfigMapping(prefix = "ocr.detection")
public interface DetectionConfig {

    /**
     * {@code min:PIXELS} scales the short side up to PIXELS, as the reference does (best on small text,
     * the default); {@code max:PIXELS} scales the long side down to PIXELS and never up, PaddleOCR's own
     * default at 960, several times cheaper on small pages (README, Performance).
     */
    @WithDefault("min:736")
    String size();

    default DetectionSize detectionSize() {
        return DetectionSize.parse(size());
    }
}
