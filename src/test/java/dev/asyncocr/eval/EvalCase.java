package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.ocr.OcrOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a {@code cases.json}: an image, the stages to run and what must come out.
 *
 * @param file    image file name, relative to the case set's folder
 * @param mode    {@code full}, or stages joined by {@code +} from {@code det}, {@code cls}, {@code rec}
 * @param compare how strings are compared; {@link Compare#EXACT} when the case does not say
 * @param note    free text from the case author, shown in reports
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvalCase(
        @JsonProperty("file") String file,
        @JsonProperty("mode") String mode,
        @JsonProperty("compare") Compare compare,
        @JsonProperty("expect") Expectations expect,
        @JsonProperty("note") String note) {

    private static final List<String> STAGES = List.of("det", "cls", "rec");

    public EvalCase {
        compare = compare == null ? Compare.EXACT : compare;
    }

    /** The pipeline switches for {@link #mode()}. */
    public OcrOptions options() {
        return parseMode(mode);
    }

    /** {@code file [mode]}, how reports name the case within its set. */
    public String label() {
        return file + " [" + mode + "]";
    }

    /** Why this case cannot be run, or an empty list when it is well-formed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (file == null || file.isBlank()) {
            problems.add("file is missing");
        }
        try {
            parseMode(mode);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (expect == null) {
            problems.add("expect is missing");
        } else {
            problems.addAll(expect.problems());
        }
        return problems;
    }

    /**
     * @throws IllegalArgumentException for an unknown, repeated or missing stage
     */
    public static OcrOptions parseMode(String mode) {
        if (mode == null || mode.isBlank()) {
            throw new IllegalArgumentException("mode is missing: expected full, or det/cls/rec joined by +");
        }
        if (mode.equals("full")) {
            return OcrOptions.ALL;
        }
        List<String> stages = List.of(mode.split("\\+", -1));
        for (String stage : stages) {
            if (!STAGES.contains(stage)) {
                throw new IllegalArgumentException("unknown mode \"" + mode
                        + "\": expected full, or det/cls/rec joined by +");
            }
            if (stages.indexOf(stage) != stages.lastIndexOf(stage)) {
                throw new IllegalArgumentException("mode \"" + mode + "\" names " + stage + " twice");
            }
        }
        return new OcrOptions(stages.contains("det"), stages.contains("cls"), stages.contains("rec"));
    }
}
