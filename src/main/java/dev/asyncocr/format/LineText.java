package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrWord;

import java.util.ArrayList;
import java.util.List;

/** How a line's words sit in its text, so that renderers give back the line exactly, spaces included. */
final class LineText {

    private LineText() {
    }

    /**
     * What comes before each word in the line's text: the space (or nothing, between two CJK characters)
     * that a renderer writes between it and the previous word.
     */
    static List<String> separators(OcrLine line) {
        List<String> separators = new ArrayList<>(line.words().size());
        int at = 0;
        for (OcrWord word : line.words()) {
            int found = line.text().indexOf(word.text(), at);
            separators.add(separators.isEmpty() ? "" : line.text().substring(at, found));
            at = found + word.text().length();
        }
        return separators;
    }
}
