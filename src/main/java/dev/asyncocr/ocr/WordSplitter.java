package dev.asyncocr.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a recognised line into words and places each on the page: words end at spaces, and a character of
 * a script written without spaces (Han, kana) is a word of its own. A word spans its characters'
 * CTC columns, mapped through the line crop's transform back onto the line's box.
 */
final class WordSplitter {

    private WordSplitter() {
    }

    /**
     * @param glyphs     the line's characters, as the recogniser read them
     * @param box        the line's box in the page
     * @param vertical   whether the crop was turned a quarter to be read ({@link LineCropper#isVertical})
     * @param upsideDown whether the direction classifier turned the crop half a turn before recognition
     */
    static List<OcrWord> split(List<CtcDecoder.Glyph> glyphs, Quad box, boolean vertical, boolean upsideDown) {
        List<OcrWord> words = new ArrayList<>();
        List<CtcDecoder.Glyph> word = new ArrayList<>();
        for (CtcDecoder.Glyph glyph : glyphs) {
            boolean own = standsAlone(glyph.text());
            if (glyph.text().isBlank() || own) {
                addWord(words, word, box, vertical, upsideDown);
            }
            if (!glyph.text().isBlank()) {
                word.add(glyph);
            }
            if (own) {
                addWord(words, word, box, vertical, upsideDown);
            }
        }
        addWord(words, word, box, vertical, upsideDown);
        return List.copyOf(words);
    }

    private static void addWord(List<OcrWord> words, List<CtcDecoder.Glyph> glyphs, Quad box, boolean vertical,
            boolean upsideDown) {
        if (glyphs.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        double confidence = 0;
        for (CtcDecoder.Glyph glyph : glyphs) {
            text.append(glyph.text());
            confidence += glyph.confidence();
        }
        double start = glyphs.get(0).start();
        double end = glyphs.get(glyphs.size() - 1).end();
        // the crop was read turned: undo the half turn, then the quarter turn (its left was the box's top)
        double from = upsideDown ? 1 - end : start;
        double to = upsideDown ? 1 - start : end;
        Quad part = vertical ? box.part(0, from, 1, to) : box.part(from, 0, to, 1);
        words.add(new OcrWord(text.toString(), confidence / glyphs.size(), part.toIntPoints()));
        glyphs.clear();
    }

    private static boolean standsAlone(String character) {
        Character.UnicodeScript script = Character.UnicodeScript.of(character.codePointAt(0));
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }
}
