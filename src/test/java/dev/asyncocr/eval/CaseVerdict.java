package dev.asyncocr.eval;

import java.util.List;

/**
 * Every expect key of one case checked against one result.
 *
 * @param cer        character error rate of the {@code lines} key, null when the case has none
 * @param wordRecall recall of the {@code words} key, null when the case has none
 */
public record CaseVerdict(List<CheckResult> checks, Double cer, Double wordRecall) {

    public CaseVerdict {
        checks = List.copyOf(checks);
    }

    /** True when every key held. */
    public boolean passed() {
        return checks.stream().allMatch(CheckResult::passed);
    }
}
