package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The cases of one case set, run and checked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SetReport(String name, String folder, String source, List<CaseResult> cases, Summary summary) {

    public SetReport {
        cases = List.copyOf(cases);
    }
}
