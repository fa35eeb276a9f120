package dev.asyncocr.image;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageSelectionTest {

    @Test
    void rangesAndSinglePagesInAscendingOrderEachOnce() {
        assertEquals(List.of(1, 2, 3, 5, 7, 8, 9), PageSelection.parse("1-3,5,7-9").pages(10, 500));
        assertEquals(List.of(2, 3, 4), PageSelection.parse("4,2-3,3").pages(4, 500));
        assertEquals(List.of(1, 2, 3), PageSelection.parse(null).pages(3, 500), "no selection: every page");
    }

    @Test
    void malformedSelectionsAreRefusedInTheClientsTerms() {
        for (String bad : List.of("", "a", "1-", "-2", "1,,2", "0", "3-1", "1-2-3", "1;2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageSelection.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("'pages'"), e.getMessage());
        }
    }

    @Test
    void aPageTheDocumentDoesNotHaveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PageSelection.parse("2-4").pages(3, 500));
        assertEquals("'pages' names page 4, but the document has 3 pages", e.getMessage());
    }

    @Test
    void moreSelectedPagesThanTheLimitAreRefusedBeforeTheyAreListed() {
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> PageSelection.parse(null).pages(Integer.MAX_VALUE, 500));
        assertEquals(ImageRejectedException.Reason.TOO_MANY_PAGES, e.reason());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertThrows(ImageRejectedException.class, () -> PageSelection.parse("1-999999999").pages(999_999_999, 500));
        assertEquals(500, PageSelection.parse("1-500").pages(10_000, 500).size());
    }
}
