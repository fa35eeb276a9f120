package dev.asyncocr.ocr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CtcDecoderTest {

    // classes: 0 blank, 1 'a', 2 'b', 3 '中', 4 space
    private final CtcDecoder decoder = new CtcDecoder(List.of("a", "b", "中"));

    /** One row per time step with the given best class at the given probability. */
    private static float[] steps(int[] best, float[] probability) {
        float[] out = new float[best.length * 5];
        for (int t = 0; t < best.length; t++) {
            float rest = (1 - probability[t]) / 4;
            for (int c = 0; c < 5; c++) {
                out[t * 5 + c] = c == best[t] ? probability[t] : rest;
            }
        }
        return out;
    }

    @Test
    void collapsesRepeatsAndDropsBlanks() {
        float[] p = steps(new int[] {1, 1, 0, 2, 2, 2, 0}, new float[] {0.9f, 0.8f, 0.99f, 0.7f, 0.6f, 0.5f, 0.9f});
        CtcDecoder.Decoded decoded = decoder.decode(p, 0, 7, 5, 1);
        assertEquals("ab", decoded.text());
        // the first step of each run counts: (0.9 + 0.7) / 2
        assertEquals(0.8, decoded.confidence(), 1e-6);
    }

    @Test
    void aBlankBetweenTwoEqualClassesKeepsBoth() {
        float[] p = steps(new int[] {3, 0, 3, 4, 1}, new float[] {0.9f, 0.9f, 0.9f, 0.9f, 0.9f});
        assertEquals("中中 a", decoder.decode(p, 0, 5, 5, 1).text());
    }

    @Test
    void onlyBlanksGiveEmptyTextWithZeroConfidence() {
        float[] p = steps(new int[] {0, 0, 0}, new float[] {0.99f, 0.99f, 0.99f});
        CtcDecoder.Decoded decoded = decoder.decode(p, 0, 3, 5, 1);
        assertEquals("", decoded.text());
        assertEquals(0, decoded.confidence());
    }

    @Test
    void decodesOneLineOfABatchAtItsOffset() {
        float[] first = steps(new int[] {1, 1}, new float[] {0.9f, 0.9f});
        float[] second = steps(new int[] {2, 3}, new float[] {0.9f, 0.9f});
        float[] batch = new float[first.length + second.length];
        System.arraycopy(first, 0, batch, 0, first.length);
        System.arraycopy(second, 0, batch, first.length, second.length);
        assertEquals("b中", decoder.decode(batch, 2 * 5, 2, 5, 1).text());
    }

    @Test
    void aModelWithAnotherClassCountIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> decoder.decode(new float[12], 0, 2, 6, 1));
        assertEquals(true, e.getMessage().contains("6 classes"));
    }

    @Test
    void eachCharacterSpansItsRunOfStepsAsFractionsOfTheLine() {
        // steps of a quarter line each, then two blank steps past the line's end (padding)
        float[] p = steps(new int[] {1, 1, 0, 2, 0, 0}, new float[] {0.9f, 0.7f, 0.9f, 0.8f, 0.9f, 0.9f});
        CtcDecoder.Decoded decoded = decoder.decode(p, 0, 6, 5, 0.25);
        assertEquals(List.of(new CtcDecoder.Glyph("a", 0.9f, 0, 0.5), new CtcDecoder.Glyph("b", 0.8f, 0.75, 1)),
                decoded.glyphs());
    }
}
