package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * One case run and checked.
 *
 * @param set        the case set's name
 * @param error      why the pipeline gave no result (the case fails), null when it gave one
 * @param boxes      number of lines (boxes) the pipeline returned, null on error
 * @param lines      the returned lines in the pipeline's order
 * @param timingsMs  the pipeline's own stage timings
 * @param wallMs     wall-clock time of the pipeline call, including reading the image file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseResult(String set, String file, String mode, Compare compare, String note, boolean passed,
                         String error, List<CheckResult> checks, Double cer, Double wordRecall, Integer boxes,
                         List<ResultLine> lines, Map<String, Double> timingsMs, double wallMs) {

    public CaseResult {
        checks = List.copyOf(checks);
        lines = List.copyOf(lines);
        timingsMs = Map.copyOf(timingsMs);
    }

    /** {@code set/file [mode]}. */
    @JsonIgnore
    public String id() {
        return set + "/" + file + " [" + mode + "]";
    }

    /** The keys that did not hold. */
    @JsonIgnore
    public List<CheckResult> failedChecks() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
