package dev.asyncocr.ocr;

import dev.asyncocr.image.PageText;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The lines found in one image, in reading order, and how long each stage took.
 *
 * @param width     the image's width in pixels (as decoded, orientation applied)
 * @param height    its height
 * @param timingsMs milliseconds per stage that ran, by the names below, and {@link #TOTAL}
 * @param tuning    the settings it ran with, every one set (null in results stored before they were kept)
 */
public record OcrResult(int width, int height, List<OcrLine> lines, Map<String, Double> timingsMs, Tuning tuning) {

    public static final String DECODE = "decode";
    public static final String DET = "det";
    public static final String CLS = "cls";
    public static final String REC = "rec";
    public static final String TOTAL = "total";
    /** Every timing key of the pipeline, in the order reports list them. */
    public static final List<String> STAGES = List.of(DECODE, DET, CLS, REC, TOTAL);
    /** A document page's rendering into an image, timed by its worker before the pipeline: outside {@link #TOTAL}. */
    public static final String RENDER = "render";

    public OcrResult {
        lines = List.copyOf(lines);
        timingsMs = Map.copyOf(timingsMs);
    }

    /**
     * A page's own text (a PDF's text layer) as a result: its lines and words on their boxes, each certain
     * (confidence 1); no stage ran, {@code tookMs} is the time to read it.
     */
    public static OcrResult of(PageText text, double tookMs) {
        List<OcrLine> lines = text.lines().stream().map(line -> {
            List<OcrWord> words = line.words().stream()
                    .map(w -> new OcrWord(w.text(), 1, box(w.left(), w.top(), w.right(), w.bottom()))).toList();
            int[][] box = box(line.words().stream().mapToInt(PageText.Word::left).min().orElseThrow(),
                    line.words().stream().mapToInt(PageText.Word::top).min().orElseThrow(),
                    line.words().stream().mapToInt(PageText.Word::right).max().orElseThrow(),
                    line.words().stream().mapToInt(PageText.Word::bottom).max().orElseThrow());
            return new OcrLine(line.text(), 1, box, null, words);
        }).toList();
        return new OcrResult(text.width(), text.height(), lines, Map.of(TOTAL, tookMs), null);
    }

    /** Four corners, clockwise from the top left, of an upright box. */
    private static int[][] box(int left, int top, int right, int bottom) {
        return new int[][]{{left, top}, {right, top}, {right, bottom}, {left, bottom}};
    }

    /** This result with {@code millis} more for {@code stage} in its timings. */
    public OcrResult withTiming(String stage, double millis) {
        Map<String, Double> timings = new HashMap<>(timingsMs);
        timings.put(stage, millis);
        return new OcrResult(width, height, lines, timings, tuning);
    }

    /** The recognised lines joined by newlines (empty when recognition did not run). */
    public String text() {
        return lines.stream().map(OcrLine::text).filter(Objects::nonNull).collect(Collectors.joining("\n"));
    }
}
