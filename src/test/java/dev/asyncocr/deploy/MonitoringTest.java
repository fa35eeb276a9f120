package dev.asyncocr.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules in knative/monitoring/, checked offline: their
 * structure, and that every PromQL expression in them is balanced and asks only for metrics and label
 * values that exist, so that a renamed metric or a typo shows up here rather than as an empty panel or
 * an alert that can never fire.
 */
class MonitoringTest {

    private static final Path DASHBOARD = Path.of("knative/monitoring/grafana-dashboard.json");
    private static final Path RULES = Path.of("knative/monitoring/prometheus-rules.yaml");

    /** A metric the service exports at /q/metrics: its series are name + suffix; its own labels' values. */
    record Metric(String name, List<String> suffixes, Map<String, Set<String>> labelValues) {
    }

    private static final List<String> PLAIN = List.of("");
    /** The tenant label's values a query may name: the configured tenants vary, these two are always there. */
    private static final Set<String> TENANTS = Set.of("anonymous", "other");
    private static final List<String> HISTOGRAM = List.of("_bucket", "_sum", "_count");

    /** What the service exports (dev.asyncocr.observability), as Prometheus names it. */
    static final List<Metric> SERVICE_METRICS = List.of(
            new Metric("ocr_jobs_submitted_total", PLAIN, Map.of("tenant", TENANTS)),
            new Metric("ocr_jobs_completed_total", PLAIN,
                    Map.of("outcome", Set.of("succeeded", "partially_succeeded", "failed", "cancelled", "expired"),
                            "tenant", TENANTS)),
            new Metric("ocr_pages_completed_total", PLAIN, Map.of("outcome", Set.of("succeeded", "failed"))),
            new Metric("ocr_document_pages", List.of("_bucket", "_sum", "_count", "_max"), Map.of()),
            new Metric("ocr_queue_depth", PLAIN, Map.of()),
            new Metric("ocr_jobs_in_flight", PLAIN, Map.of()),
            new Metric("ocr_job_duration_seconds", HISTOGRAM, Map.of()),
            new Metric("ocr_stage_duration_seconds", HISTOGRAM, Map.of("stage", Set.of("render", "decode", "det", "cls", "rec"))),
            new Metric("ocr_batch_size", List.of("_bucket", "_sum", "_count", "_max"), Map.of()),
            new Metric("ocr_callback_deliveries_total", PLAIN,
                    Map.of("outcome", Set.of("delivered", "retried", "failed"), "target", Set.of("callback", "sink"))));

    /** Prometheus' own, one per scrape target: 1 when its last scrape worked. */
    static final List<String> PROMETHEUS_METRICS = List.of("up");
    /** kube-state-metrics: pod phases, and containers' limits (resource nvidia_com_gpu for GPUs). */
    static final List<String> KUBE_STATE_METRICS = List.of("kube_pod_status_phase", "kube_pod_container_resource_limits");
    /** NVIDIA dcgm-exporter (GPU Operator): each GPU's utilisation in percent, with the pod that holds it. */
    static final List<String> DCGM_EXPORTER_METRICS = List.of("DCGM_FI_DEV_GPU_UTIL");

    /** Labels Prometheus and the operator's scrape configs put on every series of a target. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "container",
            "service", "endpoint");

    /** The PromQL functions and aggregations the expressions may call. */
    private static final Set<String> FUNCTIONS = Set.of("abs", "absent", "avg", "avg_over_time", "bottomk", "ceil",
            "clamp_max", "clamp_min", "count", "delta", "floor", "histogram_quantile", "increase", "irate",
            "label_replace", "max", "max_over_time", "min", "min_over_time", "quantile", "rate", "round", "scalar",
            "sum", "time", "topk", "vector");
    /** Operators and modifiers spelt as words; by/without/on/ignoring and their label lists are removed first. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "group_left",
            "group_right");

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    /** A selector's braces; quoted values may hold braces themselves. */
    private static final String BRACES = "\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)}";
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)\\s*" + BRACES);
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** Range and subquery durations, {@code [5m]} or {@code [1h:1m]}. */
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    /** A name, or a number or duration (which starts with a digit or a dot). */
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z_:][\\w:]*|[\\d.][\\w.]*");
    private static final Map<Character, Character> OPENING = Map.of(')', '(', '}', '{', ']', '[');

    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|[smhdwy]))+");
    private static final Set<String> SEVERITIES = Set.of("warning", "critical");
    /** What the dashboard must show, as words of its panels' titles. */
    private static final List<String> REQUIRED_PANELS = List.of("queue depth", "throughput", "p50", "p95", "failures",
            "callback failures", "gpu pods", "per tenant", "document pages");
    private static final String DATASOURCE_VARIABLE = "${datasource}";

    @Test
    void theDashboardShowsTheServiceThroughRealMetrics() throws IOException {
        assertEquals(List.of(), dashboardProblems(dashboard()));
    }

    @Test
    void theAlertRulesAreCompleteAndReadRealMetrics() throws IOException {
        JsonNode rules = rules();
        assertEquals(List.of(), rulesProblems(rules));
        assertEquals(Set.of("OcrQueueBacklog", "OcrJobFailureRatio", "OcrPageFailureRatio", "OcrJobsExpiring",
                "OcrJobLatencyHigh", "OcrCallbackFailures", "OcrNoWorkers", "OcrInstanceDown"),
                new TreeSet<>(rules.at("/spec/groups").findValuesAsText("alert")));
    }

    @Test
    void brokenExpressionsAreReported() throws IOException {
        ObjectNode misspelt = dashboard().deepCopy();
        ((ObjectNode) misspelt.at("/panels/0/targets/0")).put("expr", "max(ocr_queue_depht)");
        assertReported("unknown metric ocr_queue_depht", dashboardProblems(misspelt));

        assertReported("unbalanced", expressionProblems("e", "sum(rate(ocr_jobs_submitted_total[5m])"));
        assertReported("unbalanced", expressionProblems("e", "sum(rate(ocr_jobs_submitted_total[5m)))"));
        assertReported("unknown function rat", expressionProblems("e", "sum(rat(ocr_jobs_submitted_total[5m]))"));
        assertReported("outcome=error", expressionProblems("e", "sum(ocr_jobs_completed_total{outcome=\"error\"})"));
        // the callbacks' outcomes are not the jobs'
        assertReported("outcome=delivered", expressionProblems("e", "ocr_jobs_completed_total{outcome=\"delivered\"}"));
        assertReported("stage=ocr", expressionProblems("e", "ocr_stage_duration_seconds_count{stage=~\"det|ocr\"}"));
        assertReported("label status", expressionProblems("e", "ocr_jobs_completed_total{status=\"failed\"}"));
        // label names in by (...) and values in quotes are not metrics
        assertEquals(List.of(), expressionProblems("e", "sum by (le, stage) (rate(ocr_stage_duration_seconds_bucket"
                + "{stage!=\"cls\", pod=~\"async-ocr-{1}.*\"}[5m] offset 1h))"));
    }

    @Test
    void incompleteRulesAndPanelsAreReported() throws IOException {
        ObjectNode noFor = rules().deepCopy();
        ((ObjectNode) noFor.at("/spec/groups/0/rules/0")).remove("for");
        assertReported("OcrQueueBacklog: for", rulesProblems(noFor));

        ObjectNode twice = rules().deepCopy();
        ((ObjectNode) twice.at("/spec/groups/0/rules/1")).put("alert", "OcrQueueBacklog");
        assertReported("OcrQueueBacklog: alert named twice", rulesProblems(twice));

        ObjectNode paging = rules().deepCopy();
        ((ObjectNode) paging.at("/spec/groups/0/rules/0/labels")).put("severity", "page");
        assertReported("severity", rulesProblems(paging));

        ObjectNode noTargets = dashboard().deepCopy();
        ((ObjectNode) noTargets.at("/panels/1")).putArray("targets");
        assertReported("Jobs in flight: no targets", dashboardProblems(noTargets));

        ObjectNode noGpuPods = dashboard().deepCopy();
        ArrayNode panels = (ArrayNode) noGpuPods.get("panels");
        panels.remove(indexOfTitle(panels, "GPU pods"));
        assertReported("no panel for gpu pods", dashboardProblems(noGpuPods));

        ObjectNode fixedDatasource = dashboard().deepCopy();
        ((ObjectNode) fixedDatasource.at("/panels/0/datasource")).put("uid", "P1809F7CD0C75ACF3");
        assertReported("Queue depth: datasource", dashboardProblems(fixedDatasource));
    }

    static List<String> dashboardProblems(JsonNode dashboard) {
        List<String> problems = new ArrayList<>();
        for (String field : List.of("title", "uid")) {
            if (dashboard.path(field).asText().isBlank()) {
                problems.add("dashboard: no " + field);
            }
        }
        boolean datasourceVariable = false;
        for (JsonNode variable : dashboard.at("/templating/list")) {
            datasourceVariable |= variable.path("name").asText().equals("datasource")
                    && variable.path("type").asText().equals("datasource")
                    && variable.path("query").asText().equals("prometheus");
        }
        if (!datasourceVariable) {
            problems.add("dashboard: no templating variable 'datasource' of type datasource for prometheus");
        }
        JsonNode panels = dashboard.path("panels");
        if (panels.isEmpty()) {
            problems.add("dashboard: no panels");
        }
        Set<Integer> ids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            String where = "panel " + (title.isBlank() ? "#" + panel.path("id").asInt() : title);
            if (title.isBlank()) {
                problems.add(where + ": no title");
            }
            titles.add(title.toLowerCase(Locale.ROOT));
            if (!ids.add(panel.path("id").asInt())) {
                problems.add(where + ": id " + panel.path("id") + " used twice");
            }
            if (!Set.of("timeseries", "stat").contains(panel.path("type").asText())) {
                problems.add(where + ": type " + panel.path("type") + ", not timeseries or stat");
            }
            if (!panel.at("/datasource/uid").asText().equals(DATASOURCE_VARIABLE)) {
                problems.add(where + ": datasource " + panel.path("datasource") + ", not " + DATASOURCE_VARIABLE);
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(where + ": no targets");
            }
            for (JsonNode target : panel.path("targets")) {
                String targetWhere = where + " target " + target.path("refId").asText();
                if (!target.at("/datasource/uid").asText().equals(DATASOURCE_VARIABLE)) {
                    problems.add(targetWhere + ": datasource " + target.path("datasource") + ", not " + DATASOURCE_VARIABLE);
                }
                problems.addAll(expressionProblems(targetWhere, target.path("expr").asText()));
            }
        }
        for (String required : REQUIRED_PANELS) {
            if (titles.stream().noneMatch(title -> title.contains(required))) {
                problems.add("dashboard: no panel for " + required + " among " + titles);
            }
        }
        return problems;
    }

    static List<String> rulesProblems(JsonNode rules) {
        List<String> problems = new ArrayList<>();
        if (!rules.path("apiVersion").asText().equals("monitoring.coreos.com/v1")
                || !rules.path("kind").asText().equals("PrometheusRule")
                || rules.at("/metadata/name").asText().isBlank()) {
            problems.add("rules: not a named monitoring.coreos.com/v1 PrometheusRule");
        }
        if (rules.at("/spec/groups").isEmpty()) {
            problems.add("rules: no groups");
        }
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : rules.at("/spec/groups")) {
            if (group.path("rules").isEmpty()) {
                problems.add("group " + group.path("name").asText() + ": no rules");
            }
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                String where = "alert " + alert;
                if (alert.isBlank()) {
                    problems.add("group " + group.path("name").asText() + ": a rule without alert: " + rule);
                } else if (!alerts.add(alert)) {
                    problems.add(where + ": alert named twice");
                }
                if (!DURATION.matcher(rule.path("for").asText()).matches()) {
                    problems.add(where + ": for " + rule.path("for") + " is not a Prometheus duration");
                }
                if (!SEVERITIES.contains(rule.at("/labels/severity").asText())) {
                    problems.add(where + ": severity " + rule.at("/labels/severity") + ", not one of " + SEVERITIES);
                }
                for (String annotation : List.of("summary", "description")) {
                    if (rule.at("/annotations/" + annotation).asText().isBlank()) {
                        problems.add(where + ": no annotations." + annotation);
                    }
                }
                problems.addAll(expressionProblems(where, rule.path("expr").asText()));
            }
        }
        return problems;
    }

    /** What is wrong with one PromQL expression: its brackets, functions, metric names and label values. */
    static List<String> expressionProblems(String where, String expr) {
        if (expr.isBlank()) {
            return List.of(where + ": no expr");
        }
        Optional<String> unbalanced = unbalanced(expr);
        if (unbalanced.isPresent()) {
            return List.of(where + ": " + unbalanced.get() + " in " + expr);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Metric> serviceSeries = serviceSeries();
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            Metric metric = serviceSeries.get(selector.group(1));
            if (metric != null) {
                labelProblems(selector.group(1), metric, selector.group(2)).forEach(p -> problems.add(where + ": " + p));
            }
        }
        String bare = expr.replaceAll(BRACES, " ");
        for (Pattern removed : List.of(QUOTED, RANGE, LABEL_LIST)) {
            bare = removed.matcher(bare).replaceAll(" ");
        }
        Matcher token = TOKEN.matcher(bare);
        while (token.find()) {
            String name = token.group();
            boolean called = bare.substring(token.end()).stripLeading().startsWith("(");
            if (Character.isDigit(name.charAt(0)) || name.charAt(0) == '.' || (!called && KEYWORDS.contains(name))) {
                continue;
            }
            if (called && !FUNCTIONS.contains(name)) {
                problems.add(where + ": unknown function " + name + " in " + expr);
            } else if (!called && !serviceSeries.containsKey(name) && !PROMETHEUS_METRICS.contains(name)
                    && !KUBE_STATE_METRICS.contains(name) && !DCGM_EXPORTER_METRICS.contains(name)) {
                problems.add(where + ": unknown metric " + name + " in " + expr);
            }
        }
        return problems;
    }

    private static List<String> labelProblems(String series, Metric metric, String matchers) {
        List<String> problems = new ArrayList<>();
        Matcher matcher = MATCHER.matcher(matchers);
        while (matcher.find()) {
            String label = matcher.group(1);
            Set<String> known = metric.labelValues().get(label);
            if (known == null) {
                if (!TARGET_LABELS.contains(label) && !(label.equals("le") && series.endsWith("_bucket"))) {
                    problems.add(series + " has no label " + label);
                }
                continue;
            }
            // a regular expression may only list values: outcome=~"failed|retried"
            List<String> values = matcher.group(2).contains("~")
                    ? Arrays.asList(matcher.group(3).split("\\|")) : List.of(matcher.group(3));
            for (String value : values) {
                if (!known.contains(value)) {
                    problems.add(series + " never has " + label + "=" + value + ", only " + new TreeSet<>(known));
                }
            }
        }
        return problems;
    }

    /** The first bracket that has no partner, outside quoted strings. */
    private static Optional<String> unbalanced(String expr) {
        Deque<Character> open = new ArrayDeque<>();
        for (char c : QUOTED.matcher(expr).replaceAll("\"\"").toCharArray()) {
            if (OPENING.containsValue(c)) {
                open.push(c);
            } else if (OPENING.containsKey(c) && (open.isEmpty() || !OPENING.get(c).equals(open.pop()))) {
                return Optional.of("unbalanced " + c);
            }
        }
        return open.isEmpty() ? Optional.empty() : Optional.of("unbalanced " + open.peek());
    }

    /** Every series name of the service's metrics, to its metric. */
    private static Map<String, Metric> serviceSeries() {
        return SERVICE_METRICS.stream()
                .flatMap(metric -> metric.suffixes().stream().map(suffix -> Map.entry(metric.name() + suffix, metric)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static int indexOfTitle(ArrayNode panels, String title) {
        for (int i = 0; i < panels.size(); i++) {
            if (panels.get(i).path("title").asText().equals(title)) {
                return i;
            }
        }
        throw new AssertionError("no panel " + title);
    }

    private static void assertReported(String expected, List<String> problems) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    private static JsonNode rules() throws IOException {
        return new YAMLMapper().readTree(RULES.toFile());
    }
}
