package dev.asyncocr.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding: take the best class per time step, collapse repeats, drop blanks. Classes are
 * blank (index 0), the dictionary, then a space (the PP-OCR recognisers are trained with
 * {@code use_space_char}).
 */
final class CtcDecoder {

    /**
     * @param glyphs the characters of {@code text}, each with where the model saw it
     */
    record Decoded(String text, double confidence, List<Glyph> glyphs) {
    }

    /**
     * One decoded character and the span of the line it was read from, as fractions of the line's width
     * (0 its left edge, 1 its right): the time steps of its CTC run.
     */
    record Glyph(String text, double confidence, double start, double end) {
    }

    private final String[] classes;

    CtcDecoder(List<String> dictionary) {
        List<String> all = new ArrayList<>(dictionary.size() + 2);
        all.add("");
        all.addAll(dictionary);
        all.add(" ");
        this.classes = all.toArray(String[]::new);
    }

    int classCount() {
        return classes.length;
    }

    /**
     * @param probabilities softmax output, {@code steps x classes} for one line starting at {@code offset}
     * @param stepWidth     the fraction of the line's width one time step covers
     * @return the text and the mean probability of its characters (0 when empty)
     */
    Decoded decode(float[] probabilities, int offset, int steps, int classCount, double stepWidth) {
        if (classCount != classes.length) {
            throw new IllegalStateException("the recognition model has " + classCount
                    + " classes but the dictionary gives " + classes.length + " (blank + characters + space)");
        }
        StringBuilder text = new StringBuilder();
        List<Glyph> glyphs = new ArrayList<>();
        double sum = 0;
        int previous = -1;
        for (int t = 0; t < steps; t++) {
            int base = offset + t * classCount;
            int best = 0;
            float bestProbability = probabilities[base];
            for (int c = 1; c < classCount; c++) {
                if (probabilities[base + c] > bestProbability) {
                    best = c;
                    bestProbability = probabilities[base + c];
                }
            }
            if (best != 0 && best == previous) {
                Glyph last = glyphs.remove(glyphs.size() - 1);
                glyphs.add(new Glyph(last.text(), last.confidence(), last.start(), Math.min(1, (t + 1) * stepWidth)));
            } else if (best != 0) {
                text.append(classes[best]);
                sum += bestProbability;
                glyphs.add(new Glyph(classes[best], bestProbability, Math.min(1, t * stepWidth),
                        Math.min(1, (t + 1) * stepWidth)));
            }
            previous = best;
        }
        return new Decoded(text.toString(), glyphs.isEmpty() ? 0 : sum / glyphs.size(), List.copyOf(glyphs));
    }
}
