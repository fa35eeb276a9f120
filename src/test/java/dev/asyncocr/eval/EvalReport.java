package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Optional;

/** Everything an evaluation run found: per set, and over all sets. */
public record EvalReport(List<SetReport> sets, Summary overall) {

    public EvalReport {
        sets = List.copyOf(sets);
    }

    public static EvalReport of(List<SetReport> sets) {
        return new EvalReport(sets, Summary.of(sets.stream().flatMap(s -> s.cases().stream()).toList()));
    }

    @JsonIgnore
    public List<CaseResult> cases() {
        return sets.stream().flatMap(s -> s.cases().stream()).toList();
    }

    @JsonIgnore
    public List<CaseResult> failures() {
        return cases().stream().filter(c -> !c.passed()).toList();
    }

    public Optional<SetReport> set(String name) {
        return sets.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The text report's last line: {@code N passed, M failed}. */
    @JsonIgnore
    public String verdictLine() {
        return overall.passed() + " passed, " + overall.failed() + " failed";
    }
}
