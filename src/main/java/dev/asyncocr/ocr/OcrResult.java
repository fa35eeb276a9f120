package dev.asyncocr.ocr;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The lines found in one image, in reading order, and how long each stage took.
 *
 * @param timingsMs milliseconds per stage: {@code decode}, {@code det}, {@code cls}, {@code rec}, {@code total}
 */
public record OcrResult(List<OcrLine> lines, Map<String, Double> timingsMs) {

    public OcrResult {
        lines = List.copyOf(lines);
        timingsMs = Map.copyOf(timingsMs);
    }

    /** The recognised lines joined by newlines (empty when recognition did not run). */
    public String text() {
        return lines.stream().map(OcrLine::text).filter(Objects::nonNull).collect(Collectors.joining("\n"));
    }
}
