package dev.asyncocr.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable report: per set and overall, every failure in detail, and last {@code N passed, M failed}. */
public final class ReportWriter {

    /** How many of a failing case's lines the report shows (a failing {@code lines} check shows all). */
    static final int SHOWN_LINES = 5;

    private ReportWriter() {
    }

    public static String text(EvalReport report) {
        StringBuilder out = new StringBuilder();
        for (SetReport set : report.sets()) {
            out.append("== ").append(set.name()).append(" (").append(set.cases().size()).append(" cases");
            if (set.source() != null) {
                out.append("; ").append(set.source());
            }
            out.append(")\n   ").append(set.folder()).append('\n');
            for (CaseResult c : set.cases()) {
                out.append("  ").append(caseLine(c)).append('\n');
                if (!c.passed()) {
                    appendFailure(out, c, "      ");
                }
            }
            out.append("  ").append(set.name()).append(": ").append(summaryLine(set.summary())).append("\n\n");
        }
        out.append("== overall (").append(report.sets().size()).append(" sets)\n");
        out.append("  ").append(summaryLine(report.overall())).append('\n');
        for (SetReport set : report.sets()) {
            Summary s = set.summary();
            out.append(String.format(Locale.ROOT, "  %-20s %d/%d passed%n", set.name(), s.passed(), s.total()));
        }
        List<CaseResult> failures = report.failures();
        if (!failures.isEmpty()) {
            out.append("Failures:\n");
            for (CaseResult c : failures) {
                out.append("  ").append(c.id()).append(": ").append(shortReason(c)).append('\n');
            }
        }
        out.append(report.verdictLine()).append('\n');
        return out.toString();
    }

    /** One line per finished case, for progress output. */
    public static String progressLine(CaseResult c) {
        return c.set() + "/" + caseLine(c);
    }

    static String caseLine(CaseResult c) {
        StringBuilder line = new StringBuilder(c.passed() ? "PASS " : "FAIL ");
        line.append(c.file()).append(" [").append(c.mode()).append(']');
        if (c.error() == null) {
            line.append(", ").append(c.boxes()).append(c.boxes() == 1 ? " box" : " boxes");
        }
        if (c.cer() != null) {
            line.append(String.format(Locale.ROOT, ", CER %.4f", c.cer()));
        }
        if (c.wordRecall() != null) {
            line.append(String.format(Locale.ROOT, ", word recall %.3f", c.wordRecall()));
        }
        line.append(String.format(Locale.ROOT, ", %.0f ms", c.wallMs()));
        return line.toString();
    }

    static String summaryLine(Summary s) {
        StringBuilder line = new StringBuilder();
        line.append(s.passed()).append('/').append(s.total()).append(" passed");
        line.append("; mean CER ").append(s.meanCer() == null ? "n/a"
                : String.format(Locale.ROOT, "%.4f over %d case%s", s.meanCer(), s.cerCases(), plural(s.cerCases())));
        line.append("; word recall ").append(s.wordRecall() == null ? "n/a"
                : String.format(Locale.ROOT, "%.3f over %d case%s", s.wordRecall(), s.recallCases(),
                plural(s.recallCases())));
        line.append("; mean ms: ").append(stageLine(s.stageMs()));
        line.append(String.format(Locale.ROOT, ", wall %.1f", s.meanWallMs()));
        return line.toString();
    }

    private static String stageLine(Map<String, Double> stageMs) {
        if (stageMs.isEmpty()) {
            return "no stage timings";
        }
        return stageMs.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static void appendFailure(StringBuilder out, CaseResult c, String indent) {
        if (c.note() != null) {
            out.append(indent).append("note: ").append(c.note()).append('\n');
        }
        if (c.error() != null) {
            out.append(indent).append("error: ").append(c.error()).append('\n');
            return;
        }
        boolean linesShown = false;
        for (CheckResult check : c.failedChecks()) {
            out.append(indent).append(check.key()).append(": expected ");
            if (check.key().equals("lines") || check.key().equals("contains_lines") || check.key().equals("words")) {
                out.append(check.detail()).append('\n');
                if (check.key().equals("lines")) {
                    appendLineComparison(out, check, indent + "  ");
                    linesShown = true;
                }
                continue;
            }
            out.append(quote(check.expected())).append(", got ")
                    .append(check.actual() == null ? "nothing" : quote(check.actual()));
            if (check.detail() != null) {
                out.append(" (").append(check.detail()).append(')');
            }
            out.append('\n');
        }
        if (!linesShown) {
            out.append(indent).append("got ").append(c.boxes()).append(c.boxes() == 1 ? " line" : " lines");
            out.append(c.lines().isEmpty() ? "\n" : ":\n");
            appendLines(out, c.lines(), indent + "  ", SHOWN_LINES);
        }
    }

    private static void appendLineComparison(StringBuilder out, CheckResult check, String indent) {
        List<String> expected = List.of(check.expected().split("\n", -1));
        List<String> actual = check.actual().isEmpty() ? List.of() : List.of(check.actual().split("\n", -1));
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String e = i < expected.size() ? expected.get(i) : null;
            String a = i < actual.size() ? actual.get(i) : null;
            String mark = e != null && e.equals(a) ? "  " : "≠ ";
            out.append(indent).append(mark).append(String.format(Locale.ROOT, "%2d expected ", i + 1))
                    .append(e == null ? "-" : quote(e)).append('\n');
            out.append(indent).append("     got      ").append(a == null ? "-" : quote(a)).append('\n');
        }
    }

    private static void appendLines(StringBuilder out, List<ResultLine> lines, String indent, int max) {
        for (int i = 0; i < Math.min(max, lines.size()); i++) {
            ResultLine line = lines.get(i);
            out.append(indent).append(i + 1).append(". ")
                    .append(line.text() == null ? "(no text)" : quote(line.text()));
            out.append(String.format(Locale.ROOT, " conf %.3f", line.confidence()));
            if (line.angle() != null) {
                out.append(" angle ").append(line.angle());
            }
            if (line.box() != null) {
                out.append(" box ").append(box(line.box()));
            }
            out.append('\n');
        }
        if (lines.size() > max) {
            out.append(indent).append("... ").append(lines.size() - max).append(" more\n");
        }
    }

    private static String shortReason(CaseResult c) {
        if (c.error() != null) {
            return c.error();
        }
        return c.failedChecks().stream().map(check -> switch (check.key()) {
            case "lines", "contains_lines", "words" -> check.key() + " " + check.detail();
            default -> check.key() + " expected " + quote(check.expected()) + " got "
                    + (check.actual() == null ? "nothing" : quote(check.actual()));
        }).collect(Collectors.joining("; "));
    }

    private static String box(int[][] box) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < box.length; i++) {
            sb.append(i == 0 ? "" : ",").append('(');
            for (int j = 0; j < box[i].length; j++) {
                sb.append(j == 0 ? "" : ",").append(box[i][j]);
            }
            sb.append(')');
        }
        return sb.append(']').toString();
    }

    /** In double quotes, with line breaks and other control characters escaped so one value stays on one line. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (Character.isISOControl(cp)) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
