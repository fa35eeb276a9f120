package dev.asyncocr.ocr;

/**
 * One word of a line (one character in scripts written without spaces), in original-image pixels.
 *
 * @param confidence the mean probability of its characters
 * @param box        four corners, clockwise from the top-left of the line's own frame, {@code [[x,y]x4]}
 */
public record OcrWord(String text, double confidence, int[][] box) {
}
