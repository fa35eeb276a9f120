package dev.asyncocr.job;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import java.util.Optional;

/** The W3C {@code traceparent} of the span now current, to continue its trace where the job goes. */
final class Traceparent {

    private Traceparent() {
    }

    /** Empty outside a trace (tracing off, or no span). */
    static Optional<String> current() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return Optional.empty();
        }
        return Optional.of("00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex());
    }
}
