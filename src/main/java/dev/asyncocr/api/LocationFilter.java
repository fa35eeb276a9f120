package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.net.URI;
import java.util.Optional;

/**
 * Makes a job's relative {@code Location} absolute on a base the operator trusts: {@code ocr.api.public-url},
 * or the proxy's scheme and host when {@code quarkus.http.proxy.proxy-address-forwarding} is on (the platform
 * has then applied its {@code X-Forwarded-*} headers to the request). Otherwise it stays relative: a client's
 * Host header never names the server in an answer.
 */
public class LocationFilter {

    private final Optional<String> base;
    private final boolean forwarded;

    public LocationFilter(ApiConfig config,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarded) {
        this.base = config.publicUrl().map(URI::toString).map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.forwarded = forwarded;
    }

    @ServerResponseFilter
    public void absoluteLocation(ContainerRequestContext request, ContainerResponseContext response) {
        Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
        if (location == null || !location.toString().startsWith("/")) {
            return;
        }
        if (base.isPresent()) {
            response.getHeaders().putSingle(HttpHeaders.LOCATION, base.get() + location);
        } else if (forwarded) {
            response.getHeaders().putSingle(HttpHeaders.LOCATION,
                    request.getUriInfo().getBaseUri().resolve(location.toString()).toString());
        }
    }
}
