package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * A case's {@code expect} object; every key present must hold for the case to pass (see
 * {@code shared/eval/README.md}). Absent keys are null. An unknown key is a load error, never
 * silently ignored, so a misspelt expectation cannot pass by not being checked.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Expectations(
        @JsonProperty("boxes") Integer boxes,
        @JsonProperty("min_boxes") Integer minBoxes,
        @JsonProperty("line_count") Integer lineCount,
        @JsonProperty("first_line") String firstLine,
        @JsonProperty("first_line_prefix") String firstLinePrefix,
        @JsonProperty("angle") Integer angle,
        @JsonProperty("lines") List<String> lines,
        @JsonProperty("contains_lines") List<String> containsLines,
        @JsonProperty("words") List<String> words) {

    /** A case passes the {@code lines} key at a character error rate up to this. */
    public static final double MAX_CER = 0.1;
    /** A case passes the {@code words} key at a word recall of at least this. */
    public static final double MIN_WORD_RECALL = 0.8;

    public Expectations {
        lines = lines == null ? null : List.copyOf(lines);
        containsLines = containsLines == null ? null : List.copyOf(containsLines);
        words = words == null ? null : List.copyOf(words);
    }

    /** Why these expectations cannot be checked, or an empty list when they are well-formed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (boxes == null && minBoxes == null && lineCount == null && firstLine == null && firstLinePrefix == null
                && angle == null && lines == null && containsLines == null && words == null) {
            problems.add("expect has no keys, so the case would pass whatever the pipeline does");
        }
        if (boxes != null && boxes < 0) {
            problems.add("boxes is negative");
        }
        if (minBoxes != null && minBoxes < 0) {
            problems.add("min_boxes is negative");
        }
        if (lineCount != null && lineCount < 0) {
            problems.add("line_count is negative");
        }
        if (angle != null && angle != 0 && angle != 180) {
            problems.add("angle is " + angle + ", expected 0 or 180");
        }
        nonEmpty("lines", lines, problems);
        nonEmpty("contains_lines", containsLines, problems);
        nonEmpty("words", words, problems);
        return problems;
    }

    private static void nonEmpty(String key, List<String> values, List<String> problems) {
        if (values == null) {
            return;
        }
        if (values.isEmpty()) {
            problems.add(key + " is empty");
        } else if (values.stream().anyMatch(v -> v == null || v.isEmpty())) {
            problems.add(key + " holds a null or empty string");
        }
    }
}
