package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recognition result on the wire.
 *
 * @param text      the recognised lines joined by newlines (empty when recognition did not run)
 * @param timingsMs milliseconds per stage, by stage name
 */
public record OcrResponse(String text, List<Line> lines, @JsonProperty("timings_ms") Map<String, Double> timingsMs) {

    /**
     * @param text  null (omitted) when recognition did not run
     * @param box   four corners {@code [[x,y],[x,y],[x,y],[x,y]]}, clockwise from top-left, in image pixels
     * @param angle 0 or 180 when the direction classifier ran, else null (omitted)
     */
    public record Line(String text, double confidence, int[][] box, Integer angle) {

        static Line from(OcrLine line) {
            return new Line(line.text(), line.confidence(), line.box(), line.angle());
        }
    }

    public static OcrResponse from(OcrResult result) {
        return new OcrResponse(result.text(), result.lines().stream().map(Line::from).toList(),
                new TreeMap<>(result.timingsMs()));
    }
}
