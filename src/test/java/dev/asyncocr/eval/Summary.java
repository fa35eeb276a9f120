package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.asyncocr.ocr.OcrResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Totals over a group of cases.
 *
 * @param meanCer     mean character error rate over the cases with {@code lines}, null when none has
 * @param cerCases    how many cases have {@code lines}
 * @param wordRecall  mean word recall over the cases with {@code words}, null when none has
 * @param recallCases how many cases have {@code words}
 * @param stageMs     mean milliseconds per pipeline stage, over the cases whose result timed that stage
 * @param meanWallMs  mean wall-clock milliseconds per case
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(int total, int passed, int failed, Double meanCer, int cerCases, Double wordRecall,
                      int recallCases, Map<String, Double> stageMs, double meanWallMs) {

    public static Summary of(Collection<CaseResult> cases) {
        int passed = (int) cases.stream().filter(CaseResult::passed).count();
        List<Double> cers = cases.stream().map(CaseResult::cer).filter(Objects::nonNull).toList();
        List<Double> recalls = cases.stream().map(CaseResult::wordRecall).filter(Objects::nonNull).toList();
        return new Summary(cases.size(), passed, cases.size() - passed, mean(cers), cers.size(), mean(recalls),
                recalls.size(), stageMeans(cases), cases.stream().mapToDouble(CaseResult::wallMs).average().orElse(0));
    }

    private static Double mean(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static Map<String, Double> stageMeans(Collection<CaseResult> cases) {
        List<String> stages = new ArrayList<>(OcrResult.STAGES);
        cases.stream().flatMap(c -> c.timingsMs().keySet().stream()).distinct().sorted()
                .filter(s -> !stages.contains(s)).forEach(stages::add);
        Map<String, Double> means = new LinkedHashMap<>();
        for (String stage : stages) {
            List<Double> values = cases.stream().map(c -> c.timingsMs().get(stage)).filter(Objects::nonNull).toList();
            if (!values.isEmpty()) {
                means.put(stage, mean(values));
            }
        }
        return means;
    }
}
