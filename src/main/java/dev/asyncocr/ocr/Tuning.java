package dev.asyncocr.ocr;

import java.math.BigDecimal;

/**
 * What a request may tune, as PaddleOCR's serving does: how pages are scaled for the detector
 * ({@code text_det_limit_side_len}), the detector's thresholds ({@code text_det_thresh},
 * {@code text_det_box_thresh}), how far a box grows around its text ({@code text_det_unclip_ratio}) and the
 * least confidence of a line kept ({@code text_rec_score_thresh}). A request leaves a setting null for the
 * replica's default; {@link #orElse} fills those in, and the result carries the values that ran.
 *
 * @param detSize       how pages are scaled for the detector
 * @param detThresh     a pixel of the probability map is text at this or above (0..1): lower finds fainter text
 * @param boxThresh     a box is kept when its mean probability reaches this (0..1): higher drops doubtful boxes
 * @param unclipRatio   how far a box grows beyond its text's core: area x ratio / perimeter (1..4)
 * @param minConfidence lines recognised with less confidence are dropped (0..1), when detection ran
 */
public record Tuning(DetectionSize detSize, Double detThresh, Double boxThresh, Double unclipRatio,
        Double minConfidence) {

    /** The range of {@code detThresh}, {@code boxThresh} and {@code minConfidence}. */
    public static final Range PROBABILITY = new Range(0, 1);
    public static final Range UNCLIP_RATIO = new Range(1, 4);

    /** Nothing asked: every setting is the replica's. */
    public static final Tuning NONE = new Tuning(null, null, null, null, null);

    /** The reference's settings at the service's default geometry. */
    public static final Tuning DEFAULT = new Tuning(DetectionSize.DEFAULT, 0.3, 0.5, 1.6, 0.5);

    public Tuning {
        PROBABILITY.check("det_thresh", detThresh);
        PROBABILITY.check("box_thresh", boxThresh);
        UNCLIP_RATIO.check("unclip_ratio", unclipRatio);
        PROBABILITY.check("min_confidence", minConfidence);
    }

    /** These settings, each one not set taken from {@code defaults}. */
    public Tuning orElse(Tuning defaults) {
        return new Tuning(detSize != null ? detSize : defaults.detSize, or(detThresh, defaults.detThresh),
                or(boxThresh, defaults.boxThresh), or(unclipRatio, defaults.unclipRatio),
                or(minConfidence, defaults.minConfidence));
    }

    /** These settings with another detection geometry. */
    public Tuning withDetSize(DetectionSize size) {
        return new Tuning(size, detThresh, boxThresh, unclipRatio, minConfidence);
    }

    private static Double or(Double value, Double otherwise) {
        return value != null ? value : otherwise;
    }

    /** The values a numeric setting may take, both ends included. */
    public record Range(double min, double max) {

        /**
         * @return whether {@code value} is in range (NaN never is)
         */
        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        /**
         * @throws IllegalArgumentException naming {@code setting} when {@code value} is set and out of range
         */
        public void check(String setting, Double value) {
            if (value != null && !contains(value)) {
                throw new IllegalArgumentException(setting + " is " + value + ": it must be from " + this);
            }
        }

        /** {@code 0 to 1}: whole numbers without a fraction. */
        @Override
        public String toString() {
            return plain(min) + " to " + plain(max);
        }

        private static String plain(double value) {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
