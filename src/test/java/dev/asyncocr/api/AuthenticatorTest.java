package dev.asyncocr.api;

import dev.asyncocr.Sha256;
import dev.asyncocr.config.AuthConfig;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credentials to tenants, and the settings that stop the service at start-up instead of refusing every call. */
class AuthenticatorTest {

    @TempDir
    Path dir;

    record Jwt(Optional<Path> publicKeyLocation, Optional<Path> jwksLocation, Optional<String> issuer,
               Optional<String> audience, String tenantClaim, Duration clockSkew) implements AuthConfig.Jwt {
    }

    record IngressSettings(Optional<String> tokenSha256, Optional<String> tenant) implements AuthConfig.Ingress {
    }

    record Config(boolean enabled, Optional<List<String>> apiKeys, AuthConfig.Jwt jwt, AuthConfig.Ingress ingress)
            implements AuthConfig {

        Config(boolean enabled, Optional<List<String>> apiKeys, AuthConfig.Jwt jwt) {
            this(enabled, apiKeys, jwt, new IngressSettings(Optional.empty(), Optional.empty()));
        }
    }

    private static final Jwt NO_JWT = new Jwt(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            "sub", Duration.ofSeconds(30));

    @Test
    void offItNeedsNoSettingsAndOnItNeedsACredentialSource() {
        assertFalse(new Authenticator(new Config(false, Optional.empty(), NO_JWT)).enabled());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Authenticator(new Config(true, Optional.empty(), NO_JWT)));
        assertTrue(e.getMessage().contains("ocr.auth.api-keys"), e.getMessage());
    }

    @Test
    void apiKeysNameTheirTenantsAndAMalformedEntryIsRefusedWithoutQuotingIt() {
        Authenticator keys = new Authenticator(new Config(true, Optional.of(List.of("acme:" + hash("k1"),
                "beta:" + hash("k2"), "acme:" + hash("k3").toUpperCase(Locale.ROOT))), NO_JWT));
        assertEquals(Optional.of("acme"), keys.tenant("k1"));
        assertEquals(Optional.of("acme"), keys.tenant("k3"), "a second key of the tenant, in upper-case hex");
        assertEquals(Optional.of("beta"), keys.tenant("k2"));
        assertEquals(Optional.empty(), keys.tenant("k4"));
        assertEquals(Optional.empty(), keys.tenant(hash("k1")), "the hash is not the key");

        String secretHash = hash("secret");
        for (String bad : List.of("acme", "acme:" + secretHash.substring(1), ":" + secretHash, secretHash)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new Authenticator(new Config(true, Optional.of(List.of(bad)), NO_JWT)), bad);
            assertFalse(e.getMessage().contains(secretHash.substring(8, 40)), "the message quotes the entry: " + e.getMessage());
        }
    }

    @Test
    void theIngressTakesItsOwnTokenWhenOneIsSetWhetherOrNotTheApiNeedsCredentials() {
        assertFalse(new Authenticator(new Config(false, Optional.empty(), NO_JWT)).ingressTokenRequired());
        Authenticator ingress = new Authenticator(new Config(false, Optional.empty(), NO_JWT,
                new IngressSettings(Optional.of(hash("shared-token")), Optional.of("scanners"))));
        assertTrue(ingress.ingressTokenRequired());
        assertTrue(ingress.ingressToken("shared-token"));
        assertFalse(ingress.ingressToken("shared-token "));
        assertFalse(ingress.ingressToken(hash("shared-token")), "the hash is not the token");
        for (IngressSettings bad : List.of(new IngressSettings(Optional.of("shared-token"), Optional.empty()),
                new IngressSettings(Optional.empty(), Optional.of(" ")))) {
            assertThrows(IllegalStateException.class,
                    () -> new Authenticator(new Config(false, Optional.empty(), NO_JWT, bad)), bad.toString());
        }
    }

    @Test
    void tokensFromAKeySetNameTheTenantInTheConfiguredClaimAndOnlyAsymmetricSignaturesPass() throws Exception {
        EllipticCurveJsonWebKey signer = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        signer.setKeyId("issuer-key-1");
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JsonWebKeySet(signer).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        Authenticator tokens = new Authenticator(new Config(true, Optional.empty(), new Jwt(Optional.empty(),
                Optional.of(jwks), Optional.empty(), Optional.of("async-ocr"), "azp", Duration.ofSeconds(30))));

        assertEquals(Optional.of("billing"), tokens.tenant(sign(claims("billing", "async-ocr"), signer.getPrivateKey(),
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, signer.getKeyId())));
        assertEquals(Optional.empty(), tokens.tenant(sign(claims("billing", "elsewhere"), signer.getPrivateKey(),
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, signer.getKeyId())), "another audience");
        assertEquals(Optional.empty(), tokens.tenant(sign(claims(null, "async-ocr"), signer.getPrivateKey(),
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, signer.getKeyId())), "no tenant claim");
        assertEquals(Optional.empty(), tokens.tenant(sign(claims("billing", "async-ocr"),
                new HmacKey(new byte[32]), AlgorithmIdentifiers.HMAC_SHA256, signer.getKeyId())), "a shared secret");
        assertEquals(Optional.empty(), tokens.tenant("not.a.token"));
    }

    @Test
    void aKeyFileThatCannotServeStopsTheStart() throws Exception {
        Path pem = Files.writeString(dir.resolve("issuer.pem"), "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
        Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
        for (Jwt jwt : List.of(
                new Jwt(Optional.of(pem), Optional.empty(), Optional.empty(), Optional.empty(), "sub", Duration.ZERO),
                new Jwt(Optional.of(dir.resolve("missing.pem")), Optional.empty(), Optional.empty(), Optional.empty(),
                        "sub", Duration.ZERO),
                new Jwt(Optional.of(pem), Optional.of(jwks), Optional.empty(), Optional.empty(), "sub", Duration.ZERO))) {
            assertThrows(IllegalStateException.class, () -> new Authenticator(new Config(true, Optional.empty(), jwt)),
                    jwt.toString());
        }
    }

    private static JwtClaims claims(String tenant, String audience) {
        JwtClaims claims = new JwtClaims();
        if (tenant != null) {
            claims.setClaim("azp", tenant);
        }
        claims.setSubject("user-7");
        claims.setAudience(audience);
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    private static String sign(JwtClaims claims, Key key, String algorithm, String keyId) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKeyIdHeaderValue(keyId);
        jws.setKey(key);
        jws.setDoKeyValidation(false); // the HMAC key is short on purpose: it must be refused for its kind, not its size
        return jws.getCompactSerialization();
    }

    private static String hash(String key) {
        return Sha256.hex(key.getBytes(StandardCharsets.UTF_8));
    }
}
