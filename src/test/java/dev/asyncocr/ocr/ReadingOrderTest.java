package dev.asyncocr.ocr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadingOrderTest {

    private static Quad at(float x, float y) {
        return Quad.of(x, y, x + 20, y, x + 20, y + 8, x, y + 8);
    }

    @Test
    void topToBottomThenLeftToRight() {
        Quad lowerLeft = at(0, 100);
        Quad upperRight = at(200, 0);
        Quad upperLeft = at(10, 5);
        assertEquals(List.of(upperLeft, upperRight, lowerLeft),
                ReadingOrder.sort(List.of(lowerLeft, upperRight, upperLeft), q -> q));
    }

    @Test
    void boxesWithinTenPixelsVerticallyShareALine() {
        Quad right = at(300, 40);
        Quad left = at(10, 49);       // 9 px lower: same line, so it reads first
        Quad nextLine = at(0, 60);    // 20 px lower than the first: a new line
        assertEquals(List.of(left, right, nextLine), ReadingOrder.sort(List.of(nextLine, right, left), q -> q));
    }

    @Test
    void tenPixelsApartIsAnotherLine() {
        Quad upper = at(300, 40);
        Quad lower = at(10, 50);
        assertEquals(List.of(upper, lower), ReadingOrder.sort(List.of(lower, upper), q -> q));
    }
}
