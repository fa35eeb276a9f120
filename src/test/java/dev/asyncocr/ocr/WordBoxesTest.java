package dev.asyncocr.ocr;

import dev.asyncocr.testing.BundledPipeline;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.awt.Polygon;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;




/** Word boxes from the CTC alignment, on the real models: where the words are drawn, and where RapidOCR puts them. */
class WordBoxesTest {

    private static final List<String> WORDS = List.of("Quick", "brown", "foxes", "jump");

    @RegisterExtension
    static final BundledPipeline PIPELINE = new BundledPipeline();

    @Test
    void eachWordsBoxCoversWhereItWasDrawn() {
        List<Rectangle> drawn = new ArrayList<>();
        byte[] image = DrawnPage.png(1000, 400, g -> {
            int x = 60;
            int baseline = 220;
            for (String word : WORDS) {
                g.drawString(word, x, baseline);
                // the glyphs' ink, which is what a reader (and the detector) sees of the word
                drawn.add(g.getFont().createGlyphVector(g.getFontRenderContext(), word).getPixelBounds(null, x, baseline));
                x += g.getFontMetrics().stringWidth(word + " ");
            }
        });

        OcrResult result = PIPELINE.read(image);

        result.lines().forEach(WordBoxesTest::assertWellPlaced);
        List<OcrWord> words = result.lines().stream().flatMap(line -> line.words().stream()).toList();
        assertEquals(WORDS, words.stream().map(OcrWord::text).toList());
        for (int i = 0; i < WORDS.size(); i++) {
            double iou = iou(bounds(words.get(i).box()), drawn.get(i));
            assertTrue(iou >= 0.5, WORDS.get(i) + ": IoU " + iou + " of " + bounds(words.get(i).box())
                    + " with the drawn " + drawn.get(i));
        }
    }

    @Test
    void rapidOcrsWordDebugCaseGetsBoxesOnItsCharacters() throws IOException {
        byte[] image = Files.readAllBytes(SharedData.require("eval/rapidocr/return_word_debug.jpg"));

        OcrResult result = PIPELINE.read(image);

        assertFalse(result.lines().isEmpty());
        boolean cjk = false;
        for (OcrLine line : result.lines()) {
            assertEquals(line.text().replace(" ", ""),
                    String.join("", line.words().stream().map(OcrWord::text).toList()), "words of " + line.text());
            assertWellPlaced(line);
            for (OcrWord word : line.words()) {
                if (Character.UnicodeScript.of(word.text().codePointAt(0)) == Character.UnicodeScript.HAN) {
                    assertEquals(1, word.text().codePointCount(0, word.text().length()), "one Han character a word");
                    cjk = true;
                }
            }
        }
        assertTrue(cjk, "the case has Chinese text");
    }

    /** Inside the line's box, left to right, adjacent words not overlapping. */
    private static void assertWellPlaced(OcrLine line) {
        Rectangle lineBounds = bounds(line.box());
        Rectangle previous = null;
        for (OcrWord word : line.words()) {
            Rectangle box = bounds(word.box());
            Rectangle slack = new Rectangle(lineBounds.x - 1, lineBounds.y - 1, lineBounds.width + 2, lineBounds.height + 2);
            assertTrue(slack.contains(box), word.text() + " " + box + " lies inside its line " + lineBounds);
            if (previous != null) {
                assertTrue(previous.x + previous.width <= box.x + 1,
                        word.text() + " starts after the previous word ends: " + previous + " then " + box);
            }
            previous = box;
        }
    }

    private static Rectangle bounds(int[][] box) {
        Polygon polygon = new Polygon();
        Arrays.stream(box).forEach(p -> polygon.addPoint(p[0], p[1]));
        return polygon.getBounds();
    }

    private static double iou(Rectangle a, Rectangle b) {
        Rectangle overlap = a.intersection(b);
        double inter = overlap.isEmpty() ? 0 : (double) overlap.width * overlap.height;
        return inter / ((double) a.width * a.height + (double) b.width * b.height - inter);
    }

}
