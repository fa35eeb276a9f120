package dev.asyncocr.config;

import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.Tuning;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The defaults a request's tuning falls back to, from the configuration, and a value out of range named by its key. */
class DetectionConfigTest {

    private static DetectionConfig detection(String size, double thresh, double boxThresh, double unclipRatio) {
        return new DetectionConfig() {
            @Override
            public String size() {
                return size;
            }

            @Override
            public double thresh() {
                return thresh;
            }

            @Override
            public double boxThresh() {
                return boxThresh;
            }

            @Override
            public double unclipRatio() {
                return unclipRatio;
            }
        };
    }

    private static RecognitionConfig recognition(double minConfidence) {
        return () -> minConfidence;
    }

    @Test
    void theConfigurationsValuesAreTheDefaultsOfARequest() {
        assertEquals(Tuning.DEFAULT, detection("text:32", 0.3, 0.5, 1.6).tuning(recognition(0.5)));
        assertEquals(new Tuning(DetectionSize.parse("max:960"), 0.2, 0.6, 2.0, 0.7),
                detection("max:960", 0.2, 0.6, 2.0).tuning(recognition(0.7)));
    }

    @Test
    void aValueOutOfRangeIsNamedByItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> detection("text:32", 0.3, 0.5, 5).tuning(recognition(0.5)));
        assertEquals("ocr.detection.unclip-ratio is 5.0: it must be from 1 to 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> detection("text:32", 0.3, 0.5, 1.6).tuning(recognition(1.5)));
        assertEquals("ocr.recognition.min-confidence is 1.5: it must be from 0 to 1", e.getMessage());
    }
}
