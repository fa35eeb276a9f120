package dev.asyncocr.ocr;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Word boxes from the CTC alignment, on the real models: where the words are drawn, and where RapidOCR puts them. */
class WordBoxesTest {

    private static final List<String> WORDS = List.of("Quick", "brown", "foxes", "jump");

    private static Models models;
    private static OcrPipeline pipeline;

    @BeforeAll
    static void loadModels() {
        models = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(1));
        pipeline = new OcrPipeline(models, new ImageDecoder(40_000_000L));
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    @Test
    void eachWordsBoxCoversWhereItWasDrawn() throws IOException {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 64);
        BufferedImage image = new BufferedImage(1000, 400, BufferedImage.TYPE_INT_RGB);
        List<Rectangle> drawn = new ArrayList<>();
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(font);
            FontMetrics metrics = g.getFontMetrics();
            int x = 60;
            int baseline = 220;
            for (String word : WORDS) {
                g.drawString(word, x, baseline);
                // the glyphs' ink, which is what a reader (and the detector) sees of the word
                Rectangle ink = font.createGlyphVector(g.getFontRenderContext(), word).getPixelBounds(null, x, baseline);
                drawn.add(ink);
                x += metrics.stringWidth(word + " ");
            }
        } finally {
            g.dispose();
        }

        OcrResult result = pipeline.run(png(image), OcrOptions.ALL);

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

        OcrResult result = pipeline.run(image, OcrOptions.ALL);

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
        int left = Integer.MAX_VALUE, top = Integer.MAX_VALUE, right = Integer.MIN_VALUE, bottom = Integer.MIN_VALUE;
        for (int[] p : box) {
            left = Math.min(left, p[0]);
            top = Math.min(top, p[1]);
            right = Math.max(right, p[0]);
            bottom = Math.max(bottom, p[1]);
        }
        return new Rectangle(left, top, right - left, bottom - top);
    }

    private static double iou(Rectangle a, Rectangle b) {
        Rectangle overlap = a.intersection(b);
        double inter = overlap.isEmpty() ? 0 : (double) overlap.width * overlap.height;
        return inter / ((double) a.width * a.height + (double) b.width * b.height - inter);
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
