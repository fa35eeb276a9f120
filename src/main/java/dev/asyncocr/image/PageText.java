package dev.asyncocr.image;

import java.util.List;

/**
 * A PDF page's own text, as its text layer holds it: lines in reading order, each of words with their boxes, in
 * the pixels of the page rendered upright at {@code dpi} (the frame the pipeline's boxes are in).
 *
 * @param width  the page's width in those pixels
 * @param height its height
 */
public record PageText(int width, int height, List<Line> lines) {

    public PageText {
        lines = List.copyOf(lines);
    }

    /** @param words in reading order, never empty */
    public record Line(List<Word> words) {

        public Line {
            words = List.copyOf(words);
        }

        /** The words joined by single spaces. */
        public String text() {
            return String.join(" ", words.stream().map(Word::text).toList());
        }
    }

    /** A word and its box: left and top inclusive, right and bottom exclusive. */
    public record Word(String text, int left, int top, int right, int bottom) {
    }
}
