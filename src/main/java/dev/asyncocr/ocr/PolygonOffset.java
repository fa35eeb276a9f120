package dev.asyncocr.ocr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Grows a closed polygon outwards by a distance with round joins, on integer coordinates, following
 * the algorithm of Angus Johnson's Clipper library (ClipperOffset with jtRound, etClosedPolygon and
 * the default arc tolerance 0.25) that the reference DB post-processing uses through pyclipper.
 * Matching it point for point keeps our boxes identical to the reference ones.
 */
final class PolygonOffset {

    private static final double DEFAULT_ARC_TOLERANCE = 0.25;

    private PolygonOffset() {
    }

    /**
     * @param points closed polygon as {x, y} integer pairs (the caller truncates, as pyclipper does)
     * @param delta  the offset distance, positive to grow
     * @return the offset polygon's vertices, empty for a degenerate input (under three distinct points)
     */
    static List<long[]> grow(List<long[]> points, double delta) {
        List<long[]> polygon = withoutDuplicates(points);
        if (polygon.size() < 3) {
            return List.of();
        }
        if (area(polygon) < 0) {
            Collections.reverse(polygon);
        }
        int n = polygon.size();
        double[][] normals = new double[n][];
        for (int j = 0; j < n; j++) {
            normals[j] = unitNormal(polygon.get(j), polygon.get((j + 1) % n));
        }

        double tolerance = DEFAULT_ARC_TOLERANCE > Math.abs(delta) * DEFAULT_ARC_TOLERANCE
                ? Math.abs(delta) * DEFAULT_ARC_TOLERANCE : DEFAULT_ARC_TOLERANCE;
        double steps = Math.PI / Math.acos(1 - tolerance / Math.abs(delta));
        if (steps > Math.abs(delta) * Math.PI) {
            steps = Math.abs(delta) * Math.PI;
        }
        Arc arc = new Arc(Math.sin(2 * Math.PI / steps), Math.cos(2 * Math.PI / steps), steps / (2 * Math.PI));

        List<long[]> out = new ArrayList<>();
        int k = n - 1;
        for (int j = 0; j < n; j++) {
            k = offsetPoint(polygon.get(j), normals[k], normals[j], delta, arc, out) ? j : k;
        }
        return out;
    }

    private record Arc(double sin, double cos, double stepsPerRadian) {
    }

    /** Emits the joint at one vertex; false when it was skipped as collinear (Clipper then keeps k). */
    private static boolean offsetPoint(long[] p, double[] nk, double[] nj, double delta, Arc arc, List<long[]> out) {
        double sinA = nk[0] * nj[1] - nj[0] * nk[1];
        if (Math.abs(sinA * delta) < 1.0) {
            double cosA = nk[0] * nj[0] + nj[1] * nk[1];
            if (cosA > 0) {
                out.add(point(p, nk, delta));
                return false;
            }
        } else if (sinA > 1.0) {
            sinA = 1.0;
        } else if (sinA < -1.0) {
            sinA = -1.0;
        }
        if (sinA * delta < 0) {
            out.add(point(p, nk, delta));
            out.add(new long[] {p[0], p[1]});
            out.add(point(p, nj, delta));
        } else {
            double a = Math.atan2(sinA, nk[0] * nj[0] + nk[1] * nj[1]);
            int steps = Math.max((int) round(arc.stepsPerRadian() * Math.abs(a)), 1);
            double x = nk[0];
            double y = nk[1];
            for (int i = 0; i < steps; i++) {
                out.add(new long[] {round(p[0] + x * delta), round(p[1] + y * delta)});
                double x2 = x;
                x = x * arc.cos() - arc.sin() * y;
                y = x2 * arc.sin() + y * arc.cos();
            }
            out.add(point(p, nj, delta));
        }
        return true;
    }

    private static long[] point(long[] p, double[] normal, double delta) {
        return new long[] {round(p[0] + normal[0] * delta), round(p[1] + normal[1] * delta)};
    }

    /** Clipper rounds halves away from zero. */
    static long round(double value) {
        return value < 0 ? (long) (value - 0.5) : (long) (value + 0.5);
    }

    private static double[] unitNormal(long[] a, long[] b) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        if (dx == 0 && dy == 0) {
            return new double[] {0, 0};
        }
        double f = 1.0 / Math.sqrt(dx * dx + dy * dy);
        return new double[] {dy * f, -dx * f};
    }

    /** Clipper's signed area: positive for the orientation that a positive delta grows. */
    static double area(List<long[]> polygon) {
        double a = 0;
        for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            a += ((double) polygon.get(j)[0] + polygon.get(i)[0]) * ((double) polygon.get(j)[1] - polygon.get(i)[1]);
        }
        return -a * 0.5;
    }

    private static List<long[]> withoutDuplicates(List<long[]> points) {
        int high = points.size() - 1;
        while (high > 0 && same(points.get(0), points.get(high))) {
            high--;
        }
        List<long[]> out = new ArrayList<>();
        if (high < 0) {
            return out;
        }
        out.add(points.get(0));
        for (int i = 1; i <= high; i++) {
            if (!same(out.get(out.size() - 1), points.get(i))) {
                out.add(points.get(i));
            }
        }
        return out;
    }

    private static boolean same(long[] a, long[] b) {
        return a[0] == b[0] && a[1] == b[1];
    }
}
