package dev.asyncocr.ocr;

import java.util.Locale;

/**
 * How a page is scaled for the text detector, PaddleOCR's {@code limit_type} and {@code limit_side_len}:
 * {@link Limit#MIN} scales the short side up to {@code side} (small text gets bigger, at a cost that grows
 * with the square of the scale), {@link Limit#MAX} scales the long side down to {@code side} and never up.
 *
 * @param limit which side the limit applies to
 * @param side  the limit in pixels
 */
public record DetectionSize(Limit limit, int side) {

    /** The geometry of the reference the evaluation cases come from: short side at least 736. */
    public static final DetectionSize REFERENCE = new DetectionSize(Limit.MIN, 736);

    public enum Limit { MIN, MAX }

    public DetectionSize {
        if (side < 32) {
            throw new IllegalArgumentException("the detection side limit is " + side + ": it must be at least 32");
        }
    }

    /** Parses {@code min:736} or {@code max:960}. */
    public static DetectionSize parse(String text) {
        String[] parts = text.split(":", 2);
        try {
            return new DetectionSize(Limit.valueOf(parts[0].trim().toUpperCase(Locale.ROOT)),
                    Integer.parseInt(parts[1].trim()));
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("detection size \"" + text + "\": expected min:PIXELS or max:PIXELS", e);
        }
    }

    /** The scale for a page of {@code width} x {@code height}. */
    double scale(int width, int height) {
        return switch (limit) {
            case MIN -> Math.min(width, height) < side ? (double) side / Math.min(width, height) : 1.0;
            case MAX -> Math.max(width, height) > side ? (double) side / Math.max(width, height) : 1.0;
        };
    }

    @Override
    public String toString() {
        return limit.name().toLowerCase(Locale.ROOT) + ":" + side;
    }
}
