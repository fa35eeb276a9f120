package dev.asyncocr.format;

/** The axis-aligned bounds of a box of four corners, {@code [[x,y]x4]}: what hOCR, ALTO and PDF place text by. */
record Bounds(int left, int top, int right, int bottom) {

    static Bounds of(int[][] box) {
        int left = Integer.MAX_VALUE, top = Integer.MAX_VALUE, right = Integer.MIN_VALUE, bottom = Integer.MIN_VALUE;
        for (int[] point : box) {
            left = Math.min(left, point[0]);
            right = Math.max(right, point[0]);
            top = Math.min(top, point[1]);
            bottom = Math.max(bottom, point[1]);
        }
        return new Bounds(left, top, right, bottom);
    }

    int width() {
        return right - left;
    }

    int height() {
        return bottom - top;
    }
}
