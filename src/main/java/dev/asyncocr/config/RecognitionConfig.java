package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which recognised lines a result keeps: the default of a request that does not say. */
@ConfigMapping(prefix = "ocr.recognition")
public interface RecognitionConfig {

    /**
     * Lines recognised with less confidence than this are dropped when detection ran (0 to 1; PaddleOCR's
     * {@code text_rec_score_thresh} of the reference, 0.5): low-confidence lines are mostly noise the detector
     * took for text.
     */
    @WithDefault("0.5")
    double minConfidence();
}
