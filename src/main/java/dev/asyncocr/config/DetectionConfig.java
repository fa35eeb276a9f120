package dev.asyncocr.config;

import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.Tuning;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How pages are scaled for the text detector (the largest single lever on CPU time per image) and how its
 * probability map becomes boxes: the defaults of a request that does not set them.
 */
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

    /** A pixel of the probability map is text at this probability or above (0 to 1; PaddleOCR's 0.3). */
    @WithDefault("0.3")
    double thresh();

    /** A box is kept when its mean probability reaches this (0 to 1; PaddleOCR's 0.5). */
    @WithDefault("0.5")
    double boxThresh();

    /** How far a box grows beyond its text's core, area x ratio / perimeter (1 to 4; PaddleOCR's 1.6). */
    @WithDefault("1.6")
    double unclipRatio();

    default DetectionSize detectionSize() {
        return DetectionSize.parse(size());
    }

    /**
     * The settings a request leaves unset: these, and the line filter of {@code recognition}.
     *
     * @throws IllegalArgumentException naming the key of a value out of range
     */
    default Tuning tuning(RecognitionConfig recognition) {
        Tuning.PROBABILITY.check("ocr.detection.thresh", thresh());
        Tuning.PROBABILITY.check("ocr.detection.box-thresh", boxThresh());
        Tuning.UNCLIP_RATIO.check("ocr.detection.unclip-ratio", unclipRatio());
        Tuning.PROBABILITY.check("ocr.recognition.min-confidence", recognition.minConfidence());
        return new Tuning(detectionSize(), thresh(), boxThresh(), unclipRatio(), recognition.minConfidence());
    }
}
