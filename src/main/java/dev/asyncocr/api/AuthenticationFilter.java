package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.Optional;

/**
 * With {@code ocr.auth.enabled}, every API call needs {@code Authorization: Bearer <API key or JWT>}; without a
 * valid one it is answered 401 before anything else runs (its body is not read, nothing is stored or queued).
 * Health, metrics, the OpenAPI document and static files are not JAX-RS resources and never come here; the
 * CloudEvents ingress is cluster-internal: authenticated by the platform, or by its own shared token when one is
 * configured, never by a tenant's credential (see the README).
 */
public class AuthenticationFilter {

    static final String BEARER = "Bearer";
    private final Authenticator authenticator;
    private final Caller caller;

    public AuthenticationFilter(Authenticator authenticator, Caller caller) {
        this.authenticator = authenticator;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass() == EventIngressResource.class) {
            return authenticateIngress(request);
        }
        if (!authenticator.enabled()) {
            return Optional.empty();
        }
        Optional<String> credential = bearer(request);
        if (credential.isEmpty()) {
            return Optional.of(missing());
        }
        Optional<String> tenant = authenticator.tenant(credential.get());
        if (tenant.isEmpty()) {
            return Optional.of(refused(BEARER + " realm=\"async-ocr\", error=\"invalid_token\"", "The bearer"
                    + " credential is not valid: an unknown API key, or a token that is expired, not yet valid,"
                    + " badly signed, for another issuer or audience, or without a tenant"));
        }
        caller.authenticatedAs(tenant.get());
        return Optional.empty();
    }

    /** With {@code ocr.auth.ingress.token-sha256}, the ingress takes its producers' token and nothing else. */
    private Optional<Response> authenticateIngress(ContainerRequestContext request) {
        if (!authenticator.ingressTokenRequired()) {
            return Optional.empty();
        }
        Optional<String> credential = bearer(request);
        if (credential.isEmpty()) {
            return Optional.of(missing());
        }
        if (!authenticator.ingressToken(credential.get())) {
            return Optional.of(refused(BEARER + " realm=\"async-ocr\", error=\"invalid_token\"",
                    "The bearer credential is not the ingress's token"));
        }
        caller.ingressAuthenticated();
        return Optional.empty();
    }

    /** The credential of an {@code Authorization: Bearer} header; empty when there is none. */
    private static Optional<String> bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String prefix = BEARER + " ";
        if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())
                || header.substring(prefix.length()).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(header.substring(prefix.length()).strip());
    }

    private static Response missing() {
        return refused(BEARER + " realm=\"async-ocr\"", "This API needs a credential: send"
                + " 'Authorization: Bearer <API key or token>'");
    }

    private static Response refused(String challenge, String message) {
        return ErrorAnswer.builder(ErrorCode.UNAUTHENTICATED, message, null)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}
