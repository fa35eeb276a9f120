package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.Optional;
import java.util.Set;

/**
 * With {@code ocr.auth.enabled}, every API call needs {@code Authorization: Bearer <API key or JWT>}; without a
 * valid one it is answered 401 before anything else runs (its body is not read, nothing is stored or queued).
 * Health, metrics, the OpenAPI document and static files are not JAX-RS resources and never come here; the
 * CloudEvents ingress is cluster-internal and authenticated by the platform (see the README).
 */
public class AuthenticationFilter {

    static final String BEARER = "Bearer";
    /** Resources that take no credential of ours; every other resource, a new one included, needs one. */
    private static final Set<Class<?>> OPEN = Set.of(EventIngressResource.class);

    private final Authenticator authenticator;
    private final Caller caller;

    public AuthenticationFilter(Authenticator authenticator, Caller caller) {
        this.authenticator = authenticator;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (!authenticator.enabled() || OPEN.contains(resource.getResourceClass())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String prefix = BEARER + " ";
        if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())
                || header.substring(prefix.length()).isBlank()) {
            return Optional.of(refused(BEARER + " realm=\"async-ocr\"", "This API needs a credential: send"
                    + " 'Authorization: Bearer <API key or token>'"));
        }
        Optional<String> tenant = authenticator.tenant(header.substring(prefix.length()).strip());
        if (tenant.isEmpty()) {
            return Optional.of(refused(BEARER + " realm=\"async-ocr\", error=\"invalid_token\"", "The bearer"
                    + " credential is not valid: an unknown API key, or a token that is expired, not yet valid,"
                    + " badly signed, for another issuer or audience, or without a tenant"));
        }
        caller.authenticatedAs(tenant.get());
        return Optional.empty();
    }

    private static Response refused(String challenge, String message) {
        return ErrorAnswer.builder(ErrorCode.UNAUTHENTICATED, message, null)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}
