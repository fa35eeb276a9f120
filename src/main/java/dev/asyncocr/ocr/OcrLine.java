package dev.asyncocr.ocr;

import java.util.List;

/**
 * One text line in original-image pixel coordinates.
 *
 * @param text       recognised text, null when recognition did not run
 * @param confidence recognition score (or the detection score when recognition did not run)
 * @param box        four corners, clockwise from top-left, as {@code [[x,y],[x,y],[x,y],[x,y]]}
 * @param angle      0 or 180 when the direction classifier ran (180 = the line was upside down), else null
 * @param words      its words in reading order; empty when recognition did not run
 */
public record OcrLine(String text, double confidence, int[][] box, Integer angle, List<OcrWord> words) {

    public OcrLine {
        words = List.copyOf(words);
    }
}
