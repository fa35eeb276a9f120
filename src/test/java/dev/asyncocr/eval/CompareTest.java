package dev.asyncocr.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CompareTest {

    @Test
    void exactAppliesNfkc() {
        assertEquals("电话:15952301928", Compare.EXACT.normalize("电话：15952301928"));
        assertEquals(Compare.EXACT.normalize("电话:15952301928"), Compare.EXACT.normalize("电话：15952301928"));
        assertEquals("(45元/每公斤,100公斤起订)", Compare.EXACT.normalize("（45元/每公斤，100公斤起订）"));
        assertEquals("12AB", Compare.EXACT.normalize("１２ＡＢ"));
        assertEquals("fi", Compare.EXACT.normalize("\uFB01"));
    }

    @Test
    void exactKeepsCase() {
        assertNotEquals(Compare.EXACT.normalize("Joint"), Compare.EXACT.normalize("joint"));
    }

    @Test
    void casefoldIgnoresCaseAfterNfkc() {
        assertEquals("yuyuan rd.", Compare.CASEFOLD.normalize("Yuyuan RD."));
        assertEquals(Compare.CASEFOLD.normalize("CUDAeXecution"), Compare.CASEFOLD.normalize("cudaexecution"));
        assertEquals("strasse", Compare.CASEFOLD.normalize("STRAßE"));
        assertEquals("ab", Compare.CASEFOLD.normalize("ＡＢ"));
        assertEquals("a::b", Compare.CASEFOLD.normalize("A：：B"));
    }

    @Test
    void spacesAreSignificant() {
        assertNotEquals(Compare.EXACT.normalize("a b"), Compare.EXACT.normalize("ab"));
        assertNotEquals(Compare.CASEFOLD.normalize(" ab"), Compare.CASEFOLD.normalize("ab"));
        // NFKC turns the ideographic space into an ASCII space; it is still a space
        assertEquals("a b", Compare.EXACT.normalize("a\u3000b"));
    }

    @Test
    void nullStaysNull() {
        assertNull(Compare.EXACT.normalize(null));
        assertNull(Compare.CASEFOLD.normalize(null));
    }

    @Test
    void wireNames() {
        assertEquals(Compare.EXACT, Compare.fromWireName("exact"));
        assertEquals(Compare.CASEFOLD, Compare.fromWireName("casefold"));
        assertEquals(Compare.EXACT, Compare.fromWireName(null));
        assertThrows(IllegalArgumentException.class, () -> Compare.fromWireName("Casefold"));
        assertThrows(IllegalArgumentException.class, () -> Compare.fromWireName("fuzzy"));
    }
}
