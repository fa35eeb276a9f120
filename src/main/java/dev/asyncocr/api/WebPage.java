package dev.asyncocr.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.format.ErrorResponse;
import dev.asyncocr.job.ErrorCode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;

import java.util.Set;

/**
 * The page to try the service in a browser, {@code GET /}: static files under {@code META-INF/resources} that
 * talk to the public API only. Quarkus serves them ahead of the JAX-RS resources (for GET and HEAD; {@code POST /}
 * stays the CloudEvents ingress), so {@link RoleFilter} never sees them: this filter, in front of every route,
 * sends them with a Content-Security-Policy that lets the page run only its own files and reach only its own
 * origin (recognised text can never become script), and keeps a worker replica from serving them.
 */
@Singleton
public class WebPage {

    /** The paths of the page itself; its script, style and icon are under {@link #ASSETS}. */
    static final Set<String> PAGE = Set.of("/", "/index.html");
    static final String ASSETS = "/ui/";
    /** Its own files and origin only; {@code blob:} images are the upload the page shows under its boxes. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Filters run before every route; the priority only orders them among themselves, and this one needs no place. */
    private static final int PRIORITY = 100;

    private final boolean served;
    private final String workerAnswer;

    public WebPage(RoleConfig config, ObjectMapper json) throws JsonProcessingException {
        this.served = config.role().servesApi();
        this.workerAnswer = json.writeValueAsString(ErrorResponse.of(ErrorCode.NOT_FOUND, RoleFilter.WORKER_SERVES_NO_API));
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext request) {
        String path = request.normalizedPath();
        HttpMethod method = request.request().method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)
                || !PAGE.contains(path) && !path.startsWith(ASSETS)) {
            request.next();
        } else if (!served) {
            request.response().setStatusCode(ErrorCode.NOT_FOUND.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON).end(workerAnswer);
        } else {
            request.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
            request.next();
        }
    }
}
