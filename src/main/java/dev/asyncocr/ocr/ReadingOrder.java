package dev.asyncocr.ocr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Top-to-bottom, then left-to-right: sort by the top-left corner, then let a box move before its
 * predecessor when both start within 10 pixels vertically (one visual line) and it lies further left.
 */
final class ReadingOrder {

    static final float SAME_LINE_PIXELS = 10;

    private ReadingOrder() {
    }

    static <T> List<T> sort(List<T> items, Function<T, Quad> quad) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble((T t) -> quad.apply(t).y(0)).thenComparingDouble(t -> quad.apply(t).x(0)));
        for (int i = 0; i < sorted.size() - 1; i++) {
            for (int j = i; j >= 0; j--) {
                Quad next = quad.apply(sorted.get(j + 1));
                Quad current = quad.apply(sorted.get(j));
                if (Math.abs(next.y(0) - current.y(0)) < SAME_LINE_PIXELS && next.x(0) < current.x(0)) {
                    T swap = sorted.get(j);
                    sorted.set(j, sorted.get(j + 1));
                    sorted.set(j + 1, swap);
                } else {
                    break;
                }
            }
        }
        return sorted;
    }
}
