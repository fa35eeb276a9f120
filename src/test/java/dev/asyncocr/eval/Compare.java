package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How a case compares strings. Both forms apply Unicode NFKC first, so that full-width punctuation
 * ({@code ：}, {@code （}) equals its ASCII form; spaces are significant in both.
 */
public enum Compare {
    /** NFKC only. */
    EXACT("exact"),
    /** NFKC, then case folded (full folding such as {@code ß} to {@code ss}), then NFKC again. */
    CASEFOLD("casefold");

    private final String wireName;

    Compare(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Compare fromWireName(String name) {
        if (name == null) {
            return EXACT;
        }
        for (Compare compare : values()) {
            if (compare.wireName.equals(name)) {
                return compare;
            }
        }
        throw new IllegalArgumentException("unknown compare \"" + name + "\": expected \"exact\" or \"casefold\"");
    }

    /** The form in which two strings are compared; null stays null. */
    public String normalize(String text) {
        if (text == null) {
            return null;
        }
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        if (this == EXACT) {
            return nfkc;
        }
        // upper then lower approximates Unicode full case folding (ß -> SS -> ss, ς/σ -> σ)
        String folded = nfkc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }
}
