package dev.asyncocr.ocr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolygonOffsetTest {

    private static List<long[]> square() {
        return List.of(new long[] {0, 0}, new long[] {10, 0}, new long[] {10, 10}, new long[] {0, 10});
    }

    @Test
    void growsEveryEdgeOutwardsByTheDistance() {
        List<long[]> grown = PolygonOffset.grow(square(), 4);
        long minX = grown.stream().mapToLong(p -> p[0]).min().orElseThrow();
        long maxX = grown.stream().mapToLong(p -> p[0]).max().orElseThrow();
        long minY = grown.stream().mapToLong(p -> p[1]).min().orElseThrow();
        long maxY = grown.stream().mapToLong(p -> p[1]).max().orElseThrow();
        assertEquals(-4, minX);
        assertEquals(14, maxX);
        assertEquals(-4, minY);
        assertEquals(14, maxY);
    }

    @Test
    void roundsCornersWithArcPointsAtTheDistance() {
        List<long[]> grown = PolygonOffset.grow(square(), 4);
        // Four straight edges give 8 points; round joins add arc points between them.
        assertTrue(grown.size() > 8, "expected arc points, got " + grown.size());
        for (long[] p : grown) {
            double dx = Math.max(0, Math.max(-p[0], p[0] - 10));
            double dy = Math.max(0, Math.max(-p[1], p[1] - 10));
            double distance = Math.hypot(dx, dy);
            assertTrue(Math.abs(distance - 4) <= 0.75, "point " + p[0] + "," + p[1] + " is " + distance + " away");
        }
    }

    @Test
    void arcStepsFollowClipperArcTolerance() {
        // delta 4, tolerance 0.25: steps = pi / acos(1 - 0.25/4) = 8.89 per full turn, so a right-angle
        // corner gets round(8.89/4) = 2 steps, i.e. 3 points; 4 corners = 12 points.
        assertEquals(12, PolygonOffset.grow(square(), 4).size());
    }

    @Test
    void orientationOfTheInputDoesNotMatter() {
        List<long[]> reversed = new ArrayList<>(square());
        java.util.Collections.reverse(reversed);
        assertEquals(sorted(PolygonOffset.grow(square(), 3.3)), sorted(PolygonOffset.grow(reversed, 3.3)));
    }

    @Test
    void degeneratePolygonsGiveNothing() {
        assertTrue(PolygonOffset.grow(List.of(new long[] {1, 1}, new long[] {1, 1}, new long[] {5, 5}), 2).isEmpty());
        assertTrue(PolygonOffset.grow(List.of(), 2).isEmpty());
    }

    @Test
    void roundsHalvesAwayFromZeroLikeClipper() {
        assertEquals(3, PolygonOffset.round(2.5));
        assertEquals(-3, PolygonOffset.round(-2.5));
        assertEquals(2, PolygonOffset.round(2.49));
    }

    private static List<String> sorted(List<long[]> points) {
        return points.stream().map(p -> p[0] + "," + p[1]).sorted(Comparator.naturalOrder()).toList();
    }
}
