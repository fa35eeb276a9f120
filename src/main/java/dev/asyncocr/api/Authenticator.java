package dev.asyncocr.api;

import dev.asyncocr.Sha256;
import dev.asyncocr.config.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.EcKeyUtil;
import org.jose4j.keys.RsaKeyUtil;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells which tenant a bearer credential belongs to: an API key (by its SHA-256, compared in constant time) or
 * a JWT (signature, expiry and issuer checked offline against the configured key). Built at start-up, so that a
 * misconfiguration stops the service instead of refusing every call; with authentication off it reads nothing.
 */
@Startup
@Singleton
public class Authenticator {

    /** The longest tenant name taken from a token: it is stored with every job and namespaces idempotency keys. */
    static final int MAX_TENANT_LENGTH = 255;
    /** Asymmetric signatures only: a shared-secret (HS*) or unsigned token must never pass. */
    private static final String[] SIGNATURES = {AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA512, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512};

    /** One configured API key: its tenant and the SHA-256 of the key, as lowercase hex. */
    private record ApiKey(String tenant, byte[] hash) {
    }

    private final boolean enabled;
    private final List<ApiKey> apiKeys;
    private final Optional<JwtConsumer> tokens;
    private final String tenantClaim;
    /** The SHA-256 of the CloudEvents ingress's token, as lowercase hex; empty when the ingress takes none. */
    private final Optional<byte[]> ingressToken;

    public Authenticator(AuthConfig config) {
        this.enabled = config.enabled();
        this.apiKeys = enabled ? config.apiKeys().orElse(List.of()).stream().map(Authenticator::apiKey).toList() : List.of();
        this.tokens = enabled ? tokenConsumer(config.jwt()) : Optional.empty();
        this.tenantClaim = config.jwt().tenantClaim();
        this.ingressToken = config.ingress().tokenSha256().map(hex -> hash(hex, "ocr.auth.ingress.token-sha256: the"
                + " token's SHA-256 as 64 hex digits"));
        config.ingress().tenant().filter(tenant -> !validTenant(tenant)).ifPresent(tenant -> {
            throw new IllegalStateException("ocr.auth.ingress.tenant must be 1 to " + MAX_TENANT_LENGTH
                    + " characters without control characters");
        });
        if (enabled && apiKeys.isEmpty() && tokens.isEmpty()) {
            throw new IllegalStateException("ocr.auth.enabled=true but no credential could pass: set ocr.auth.api-keys,"
                    + " ocr.auth.jwt.public-key-location or ocr.auth.jwt.jwks-location");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the CloudEvents ingress needs its token ({@code ocr.auth.ingress.token-sha256}). */
    public boolean ingressTokenRequired() {
        return ingressToken.isPresent();
    }

    /** Whether {@code credential} is the ingress's token, compared by its hash in constant time. */
    public boolean ingressToken(String credential) {
        return ingressToken.filter(expected -> MessageDigest.isEqual(expected, hashOf(credential))).isPresent();
    }

    /** The tenant the credential belongs to; empty for one that is unknown, expired or badly signed. */
    public Optional<String> tenant(String credential) {
        byte[] hash = hashOf(credential);
        String keyTenant = null;
        for (ApiKey key : apiKeys) { // every key compared, so that the time taken tells nothing of which matched
            if (MessageDigest.isEqual(key.hash(), hash)) {
                keyTenant = key.tenant();
            }
        }
        if (keyTenant != null) {
            return Optional.of(keyTenant);
        }
        return tokens.flatMap(consumer -> tokenTenant(consumer, credential));
    }

    private Optional<String> tokenTenant(JwtConsumer consumer, String token) {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            // the error codes only: the message would quote the token's claims
            Log.debugf("Bearer token refused, jose4j error codes %s", e.getErrorDetails().stream()
                    .map(detail -> String.valueOf(detail.getErrorCode())).toList());
            return Optional.empty();
        }
        return claims.getClaimValue(tenantClaim) instanceof String tenant && validTenant(tenant)
                ? Optional.of(tenant) : Optional.empty();
    }

    private static byte[] hashOf(String credential) {
        return Sha256.hex(credential.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
    }

    /** A configured SHA-256 as the bytes {@link #hashOf} compares; the value itself is never quoted (a secret's). */
    private static byte[] hash(String hex, String refusal) {
        String lower = hex.strip().toLowerCase(Locale.ROOT);
        if (!lower.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException(refusal);
        }
        return lower.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean validTenant(String tenant) {
        return !tenant.isBlank() && tenant.length() <= MAX_TENANT_LENGTH && tenant.chars().noneMatch(Character::isISOControl);
    }

    private static ApiKey apiKey(String entry) {
        String tenant = AuthConfig.keyTenant(entry);
        String refusal = "ocr.auth.api-keys: each entry must be tenant:sha256hex (the key's SHA-256 as 64 hex digits,"
                + " e.g. from `printf %s \"$KEY\" | sha256sum`)";
        if (!validTenant(tenant)) {
            throw new IllegalStateException(refusal);
        }
        return new ApiKey(tenant, hash(entry.substring(entry.lastIndexOf(':') + 1), refusal));
    }

    private static Optional<JwtConsumer> tokenConsumer(AuthConfig.Jwt config) {
        if (config.publicKeyLocation().isPresent() && config.jwksLocation().isPresent()) {
            throw new IllegalStateException("Set ocr.auth.jwt.public-key-location or ocr.auth.jwt.jwks-location, not both");
        }
        if (config.publicKeyLocation().isEmpty() && config.jwksLocation().isEmpty()) {
            return Optional.empty();
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(Math.toIntExact(config.clockSkew().toSeconds()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, SIGNATURES);
        config.publicKeyLocation().ifPresent(pem -> builder.setVerificationKey(publicKey(pem)));
        config.jwksLocation().ifPresent(jwks -> builder.setVerificationKeyResolver(keySet(jwks)));
        config.issuer().ifPresent(builder::setExpectedIssuer);
        config.audience().ifPresentOrElse(builder::setExpectedAudience, builder::setSkipDefaultAudienceValidation);
        return Optional.of(builder.build());
    }

    private static PublicKey publicKey(Path pem) {
        String text = read(pem, "ocr.auth.jwt.public-key-location");
        try {
            return new RsaKeyUtil().fromPemEncoded(text);
        } catch (JoseException | GeneralSecurityException notRsa) {
            try {
                return new EcKeyUtil().fromPemEncoded(text);
            } catch (JoseException | GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException("ocr.auth.jwt.public-key-location " + pem
                        + " holds no RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)", e);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ocr.auth.jwt.public-key-location " + pem + " is not PEM", e);
        }
    }

    private static JwksVerificationKeyResolver keySet(Path jwks) {
        try {
            return new JwksVerificationKeyResolver(new JsonWebKeySet(read(jwks, "ocr.auth.jwt.jwks-location"))
                    .getJsonWebKeys());
        } catch (JoseException e) {
            throw new IllegalStateException("ocr.auth.jwt.jwks-location " + jwks + " is not a JSON Web Key Set: "
                    + e.getMessage(), e);
        }
    }

    private static String read(Path file, String property) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(property + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
