package dev.asyncocr.job;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The W3C {@code traceparent} of the span now current, to continue its trace where the job goes. */
final class Traceparent {

    private static final String HEADER = "traceparent";

    private Traceparent() {
    }

    /** Empty outside a trace (tracing off, or no span). */
    static Optional<String> current() {
        Map<String, String> headers = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
        return Optional.ofNullable(headers.get(HEADER));
    }
}
