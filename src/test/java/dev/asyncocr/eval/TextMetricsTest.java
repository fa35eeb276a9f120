package dev.asyncocr.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextMetricsTest {

    @Test
    void editDistanceOfEmptyStrings() {
        assertEquals(0, TextMetrics.editDistance("", ""));
        assertEquals(3, TextMetrics.editDistance("abc", ""));
        assertEquals(3, TextMetrics.editDistance("", "abc"));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(3, TextMetrics.editDistance("kitten", "sitting"));
        assertEquals(3, TextMetrics.editDistance("sitting", "kitten"));
        assertEquals(2, TextMetrics.editDistance("flaw", "lawn"));
        assertEquals(1, TextMetrics.editDistance("abc", "abxc"));
        assertEquals(1, TextMetrics.editDistance("abc", "ac"));
        assertEquals(1, TextMetrics.editDistance("abc", "axc"));
        assertEquals(0, TextMetrics.editDistance("same", "same"));
    }

    @Test
    void editDistanceIsOverCodePoints() {
        assertEquals(0, TextMetrics.editDistance("韩国小馆", "韩国小馆"));
        assertEquals(1, TextMetrics.editDistance("韩国小馆", "韩国馆"));
        assertEquals(1, TextMetrics.editDistance("韩国小馆", "韩国大馆"));
        // U+20000 is one code point but two UTF-16 chars: it must count once
        assertEquals(1, TextMetrics.editDistance("\uD840\uDC00a", "a"));
        assertEquals(1, TextMetrics.editDistance("\uD840\uDC00", "\uD840\uDC01"));
        assertEquals(1, TextMetrics.length("\uD840\uDC00"));
        assertEquals(4, TextMetrics.length("韩国小馆"));
    }

    @Test
    void characterErrorRateDividesByExpectedLength() {
        assertEquals(0.0, TextMetrics.characterErrorRate("纯臻营养护发素", "纯臻营养护发素"));
        assertEquals(0.1, TextMetrics.characterErrorRate("0123456789", "0123456780"), 1e-12);
        assertEquals(0.25, TextMetrics.characterErrorRate("韩国小馆", "韩国馆"), 1e-12);
        assertEquals(1.0, TextMetrics.characterErrorRate("abcd", ""), 1e-12);
    }

    @Test
    void characterErrorRateIsNotCappedAtOne() {
        assertEquals(2.0, TextMetrics.characterErrorRate("ab", "abcdef"), 1e-12);
    }

    @Test
    void characterErrorRateOfAnEmptyExpectation() {
        assertEquals(0.0, TextMetrics.characterErrorRate("", ""));
        assertEquals(3.0, TextMetrics.characterErrorRate("", "abc"), 1e-12);
    }

    @Test
    void wordRecallIsTheShareOfWordsFound() {
        String text = "愚园路\n西 315\nYuyuan Rd.";
        assertEquals(1.0, TextMetrics.wordRecall(List.of("愚园路", "315", "Yuyuan Rd."), text));
        assertEquals(0.8, TextMetrics.wordRecall(List.of("愚园路", "西", "315", "Rd.", "东"), text), 1e-12);
        assertEquals(0.0, TextMetrics.wordRecall(List.of("309", "E"), text));
        assertEquals(1.0, TextMetrics.wordRecall(List.of(), text));
    }

    @Test
    void wordRecallMatchesSubstringsAcrossLineContent() {
        assertEquals(1.0, TextMetrics.wordRecall(List.of("uan R"), "Yuyuan Rd."));
        assertEquals(0.0, TextMetrics.wordRecall(List.of("yuyuan"), "Yuyuan Rd."));
    }
}
