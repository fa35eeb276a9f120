package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.asyncocr.ocr.OcrLine;

/** A line as the pipeline returned it, kept in reports to show what a failing case got. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultLine(String text, double confidence, Integer angle, int[][] box) {

    static ResultLine of(OcrLine line) {
        return new ResultLine(line.text(), line.confidence(), line.angle(), line.box());
    }
}
