package dev.asyncocr.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Keeps the HTTP server metrics' series bounded whatever clients send. Any token is a method to HTTP, so a
 * made-up one is counted as {@value #OTHER_METHOD} rather than as a series of its own; the {@code uri} label
 * is bounded by {@code quarkus.micrometer.binder.http-server.suppress4xx-errors} (application.properties):
 * a 4xx answer outside a route template (405, 406, 415 before a resource method matched) is {@code UNKNOWN}
 * instead of the raw path with its ids.
 */
@Singleton
public class HttpMetricsBounds {

    static final String OTHER_METHOD = "UNKNOWN";
    private static final String METHOD = "method";
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    @Produces
    @Singleton
    MeterFilter knownMethodsOnly() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String method = id.getTag(METHOD);
                return method == null || METHODS.contains(method) ? id : id.withTag(Tag.of(METHOD, OTHER_METHOD));
            }
        };
    }
}
