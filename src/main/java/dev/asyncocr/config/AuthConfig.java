package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the API, and as which tenant. Off by default (the embedded default stays open for a first try);
 * on, every API call needs {@code Authorization: Bearer} with an API key or a JWT. The CloudEvents ingress,
 * health, metrics and the OpenAPI document stay as they are.
 */
@ConfigMapping(prefix = "ocr.auth")
public interface AuthConfig {

    @WithDefault("false")
    boolean enabled();

    /**
     * API keys, written {@code tenant:sha256hex} (the key's SHA-256 in hex, never the key itself), comma-separated;
     * from a Secret. A tenant may hold several keys (during a rotation).
     */
    Optional<List<String>> apiKeys();

    /** JWT bearer tokens, verified offline against a public key or a key set. */
    Jwt jwt();

    /** The CloudEvents ingress {@code POST /}: cluster-internal, so it takes no API key or JWT. */
    Ingress ingress();

    /** The tenant an {@link #apiKeys()} entry names: what comes before its last colon. */
    static String keyTenant(String entry) {
        int colon = entry.lastIndexOf(':');
        return colon < 0 ? "" : entry.substring(0, colon).strip();
    }

    interface Ingress {

        /**
         * The SHA-256 (hex) of a token the event producer sends as {@code Authorization: Bearer}; set, an event
         * without it is refused, and an event with it may name its tenant ({@code ocrtenant}). Unset, the ingress
         * relies on the platform (Knative Eventing's OIDC, a network policy) and takes no tenant from events.
         */
        Optional<String> tokenSha256();

        /** The tenant of the ingress's jobs when the event names none; unset, they have no tenant. */
        Optional<String> tenant();
    }

    interface Jwt {

        /** A PEM file with the public key (RSA or EC) that signs the tokens. */
        Optional<Path> publicKeyLocation();

        /** A JWKS file (JSON Web Key Set) with the keys that sign the tokens, chosen by the token's {@code kid}. */
        Optional<Path> jwksLocation();

        /** The {@code iss} every token must carry; unset, any issuer. */
        Optional<String> issuer();

        /** An {@code aud} every token must carry; unset, tokens with an audience are refused. */
        Optional<String> audience();

        /** The claim that names the tenant. */
        @WithDefault("sub")
        String tenantClaim();

        /** How far the clocks of the token's issuer and this service may differ, for {@code exp} and {@code nbf}. */
        @WithDefault("30s")
        Duration clockSkew();
    }
}
