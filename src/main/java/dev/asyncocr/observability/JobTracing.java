package dev.asyncocr.observability;

import dev.asyncocr.ocr.OcrResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One trace per job across the asynchronous hops: the W3C context of the submitting request travels in
 * the AMQP message's application properties to the worker, whose span holds one span per pipeline stage,
 * and from the job record to its completion events. Spans leave the service only when an exporter is
 * configured; with the SDK disabled (the default) all of this costs nothing.
 */
@Singleton
public class JobTracing {

    /** The stages that become spans, in the order the pipeline runs them. */
    private static final List<String> STAGES = OcrMetrics.STAGES;

    private static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<Map<String, ?>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            return value instanceof String text ? text : null;
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public JobTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("async-ocr");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The current trace context as W3C headers ({@code traceparent}, {@code tracestate}); empty outside a trace. */
    public Map<String, String> currentHeaders() {
        return headers(Context.current());
    }

    /** The W3C {@code traceparent} of the span now current, for a job to continue; null outside a trace. */
    public String currentTraceparent() {
        return currentHeaders().get(TRACEPARENT);
    }

    /** The worker's span for one delivery of a job, continuing the trace its message carries. */
    public Span startProcessing(Map<String, ?> messageHeaders, String requestId) {
        return tracer.spanBuilder("ocr job process").setSpanKind(SpanKind.CONSUMER)
                .setParent(propagator.extract(Context.root(), messageHeaders, MAP))
                .setAttribute("messaging.system", "amqp").setAttribute("ocr.request_id", requestId).startSpan();
    }

    /**
     * One span per pipeline stage under the current span, laid end to end from {@code start} with the
     * durations the pipeline measured (the pipeline itself knows nothing of tracing).
     */
    public void stages(Instant start, OcrResult result) {
        Instant at = start;
        for (String stage : STAGES) {
            Double millis = result.timingsMs().get(stage);
            if (millis == null) {
                continue;
            }
            Instant end = at.plus(Math.round(millis * 1000), ChronoUnit.MICROS);
            tracer.spanBuilder("ocr " + stage).setStartTimestamp(at).startSpan().end(end);
            at = end;
        }
    }

    /** A client span for one send of a completion event, in the trace the job was submitted in. */
    public Span startSend(String traceparent, String target, String requestId) {
        Context parent = traceparent == null ? Context.root()
                : propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
        return tracer.spanBuilder("completion event " + target).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute("ocr.request_id", requestId).startSpan();
    }

    /** The W3C headers naming {@code span}, to send with it. */
    public Map<String, String> headers(Span span) {
        return headers(Context.root().with(span));
    }

    private Map<String, String> headers(Context context) {
        Map<String, String> headers = new HashMap<>();
        propagator.inject(context, headers, Map::put);
        return headers;
    }
}
