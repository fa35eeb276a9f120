package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one {@code expect} key.
 *
 * @param key      the expect key, e.g. {@code first_line}
 * @param expected what the case expects, as written in the case
 * @param actual   what the pipeline produced, as it produced it (before normalisation)
 * @param detail   why it failed or a measure (CER, recall), null when there is nothing to add
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String key, boolean passed, String expected, String actual, String detail) {
}
