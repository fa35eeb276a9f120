package dev.asyncocr.ocr;

import java.util.Locale;

/**
 * How a page is scaled for the text detector. {@link Limit#MIN} and {@link Limit#MAX} are PaddleOCR's
 * {@code limit_type} and {@code limit_side_len}: MIN scales the short side up to {@code side} (small text
 * gets bigger, at a cost that grows with the square of the scale), MAX scales the long side down to
 * {@code side} and never up. {@link Limit#TEXT} reasons about the text's height instead: it reads the page
 * at its own size and, only when the smallest text found is under {@code side} pixels tall, reads the page
 * again scaled so that this text is {@code side} pixels tall. Small text gets the upscaling it needs, and
 * a page whose text is legible, or that has none, costs one pass at its own size. (A first pass scaled
 * down, as {@code max:960}, costs less on large pages but moves their boxes enough to change what some
 * lines read as.)
 *
 * <p>Whatever the limit, the detector's input is bounded by {@link #MAX_INPUT_PIXELS} and
 * {@link #MAX_INPUT_SIDE}, so that no page shape costs more than the largest page the pipeline lets
 * through (its long side brought to 2000 pixels, a 2000 x 2000 square).
 *
 * @param limit which rule applies
 * @param side  the limit in pixels (a text height for {@link Limit#TEXT})
 */
public record DetectionSize(Limit limit, int side) {

    /** The geometry of the reference the evaluation cases come from: short side at least 736. */
    public static final DetectionSize REFERENCE = new DetectionSize(Limit.MIN, 736);

    /**
     * The service's default: text under 32 pixels tall is read again larger. It keeps every shared
     * evaluation case that {@link #REFERENCE} passes at a fraction of its cost (README, Performance).
     */
    public static final DetectionSize DEFAULT = new DetectionSize(Limit.TEXT, 32);

    /** The least side of {@link Limit#MIN} and {@link Limit#MAX}: the detector's input is a multiple of 32. */
    public static final int LEAST_SIDE = 32;
    /** The least text height of {@link Limit#TEXT}, in pixels. */
    public static final int LEAST_TEXT = 8;

    static final long MAX_INPUT_PIXELS = 2000L * 2000;
    static final int MAX_INPUT_SIDE = 4000;

    public enum Limit { MIN, MAX, TEXT }

    /** The detector's input size: both sides multiples of 32. */
    record Input(int width, int height) {
    }

    public DetectionSize {
        int least = limit == Limit.TEXT ? LEAST_TEXT : LEAST_SIDE;
        if (side < least) {
            throw new IllegalArgumentException("the detection side limit is " + side + ": it must be at least " + least);
        }
    }

    /** Parses {@code min:736}, {@code max:960} or {@code text:24}. */
    public static DetectionSize parse(String text) {
        String[] parts = text.split(":", 2);
        try {
            return new DetectionSize(Limit.valueOf(parts[0].trim().toUpperCase(Locale.ROOT)),
                    Integer.parseInt(parts[1].trim()));
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("detection size \"" + text
                    + "\": expected min:PIXELS, max:PIXELS or text:PIXELS", e);
        }
    }

    /** The scale of the first (for MIN and MAX, the only) pass over a page of {@code width} x {@code height}. */
    double scale(int width, int height) {
        return switch (limit) {
            case MIN -> Math.min(width, height) < side ? (double) side / Math.min(width, height) : 1.0;
            case MAX -> Math.max(width, height) > side ? (double) side / Math.max(width, height) : 1.0;
            case TEXT -> 1.0;
        };
    }

    /**
     * The scale of a second pass, given the height in page pixels of the smallest text the first pass
     * found (0 when it found none); 0 when no second pass is needed.
     */
    double rescale(double smallestText) {
        return limit == Limit.TEXT && smallestText > 0 && smallestText < side ? side / smallestText : 0;
    }

    /** The detector's input for a page of {@code width} x {@code height} at {@code scale}, within the bounds. */
    static Input input(int width, int height, double scale) {
        double bound = Math.min(Math.sqrt(MAX_INPUT_PIXELS / ((double) width * height)),
                (double) MAX_INPUT_SIDE / Math.max(width, height));
        if (scale <= bound) {
            return new Input(Math.max(32, multipleOf32((int) (width * scale))),
                    Math.max(32, multipleOf32((int) (height * scale))));
        }
        // rounding down keeps a bounded input within its bounds
        return new Input(Math.max(32, (int) (width * bound) / 32 * 32), Math.max(32, (int) (height * bound) / 32 * 32));
    }

    /** Python's round() to a multiple of 32: halves go to the even neighbour. */
    static int multipleOf32(int side) {
        return (int) Math.rint(side / 32.0) * 32;
    }

    @Override
    public String toString() {
        return limit.name().toLowerCase(Locale.ROOT) + ":" + side;
    }
}
