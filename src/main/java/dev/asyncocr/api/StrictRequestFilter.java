package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a client gave is never read as absent: on the OCR endpoints a misspelt query parameter must not silently
 * do nothing, one given twice or empty has no meaning the client can rely on, and neither has an empty
 * {@code Idempotency-Key} (the framework hands an empty header to a resource as none). Runs before the body is read.
 */
public class StrictRequestFilter {

    /** The query parameters each resource reads, by the request's HTTP method. */
    private static final Map<Class<?>, Function<String, Set<String>>> KNOWN = Map.of(
            OcrResource.class, method -> OcrResource.QUERY_PARAMETERS,
            ResultResource.class, ResultResource::queryParameters,
            PageImageResource.class, method -> PageImageResource.QUERY_PARAMETERS,
            JobListResource.class, method -> JobListResource.QUERY_PARAMETERS);

    @ServerRequestFilter
    public void check(ContainerRequestContext request, SimpleResourceInfo resource) {
        Function<String, Set<String>> reads = KNOWN.get(resource.getResourceClass());
        if (reads == null) {
            return;
        }
        Set<String> known = reads.apply(request.getMethod());
        String key = request.getHeaderString(OcrResource.IDEMPOTENCY_KEY);
        if (key != null && key.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "The " + OcrResource.IDEMPOTENCY_KEY
                    + " header is empty: give a key or leave the header out");
        }
        Map<String, List<String>> query = request.getUriInfo().getQueryParameters();
        Set<String> unknown = new TreeSet<>(query.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "Unknown query parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ": this endpoint reads " + String.join(", ", new TreeSet<>(known)));
        }
        query.forEach((name, values) -> {
            if (values.size() > 1) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER,
                        "'" + name + "' is given " + values.size() + " times: give it once");
            }
            if (values.get(0).isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + name + "' is empty: give a value or leave it out");
            }
        });
    }
}
