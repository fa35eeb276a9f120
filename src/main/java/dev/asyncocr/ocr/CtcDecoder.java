package dev.asyncocr.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding: take the best class per time step, collapse repeats, drop blanks. Classes are
 * blank (index 0), the dictionary, then a space (the PP-OCR recognisers are trained with
 * {@code use_space_char}).
 */
final class CtcDecoder {

    record Decoded(String text, double confidence) {
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
     * @return the text and the mean probability of its characters (0 when empty)
     */
    Decoded decode(float[] probabilities, int offset, int steps, int classCount) {
        if (classCount != classes.length) {
            throw new IllegalStateException("the recognition model has " + classCount
                    + " classes but the dictionary gives " + classes.length + " (blank + characters + space)");
        }
        StringBuilder text = new StringBuilder();
        double sum = 0;
        int kept = 0;
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
            if (best != 0 && best != previous) {
                text.append(classes[best]);
                sum += bestProbability;
                kept++;
            }
            previous = best;
        }
        return new Decoded(text.toString(), kept == 0 ? 0 : sum / kept);
    }
}
