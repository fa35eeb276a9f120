package dev.asyncocr.testing;

import dev.asyncocr.Sha256;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.RsaKeyUtil;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Credentials for the tenant tests: two API keys, and JWTs signed with an RSA key pair made for the run (no
 * identity server is reachable). The pair lives in files named by a system property, so that the test profile and
 * the tests, in different class loaders, use the same one.
 */
public final class TestTokens {

    public static final String TENANT_A = "tenant-a";
    public static final String TENANT_B = "tenant-b";
    public static final String KEY_A = "key-of-tenant-a-0f3c";
    public static final String KEY_B = "key-of-tenant-b-77d1";
    public static final String ISSUER = "https://issuer.test/async-ocr";
    /** A tenant of tokens whose quota ({@code ocr.tenant.overrides}) is {@link #QUOTA}; the others have none. */
    public static final String QUOTA_TENANT = "tenant-q";
    public static final int QUOTA = 5;
    /** The CloudEvents ingress's own token, and the tenant of its events that name none. */
    public static final String INGRESS_TOKEN = "ingress-token-5e21";
    public static final String INGRESS_TENANT = "scanners";
    private static final String DIR_PROPERTY = "async-ocr.test.token-keys";

    private TestTokens() {
    }

    /**
     * {@code base} with authentication on (both API keys, and tokens of {@link #ISSUER} signed by the run's key)
     * and callbacks allowed to the tests' loopback receivers, a quota for {@link #QUOTA_TENANT}, and the ingress's
     * token: the tenant tests' service.
     */
    public static Map<String, String> withTenants(Map<String, String> base) {
        Map<String, String> config = new HashMap<>(base);
        config.put("ocr.auth.enabled", "true");
        config.put("ocr.auth.api-keys", TENANT_A + ":" + Sha256.hex(KEY_A.getBytes(StandardCharsets.UTF_8)) + ","
                + TENANT_B + ":" + Sha256.hex(KEY_B.getBytes(StandardCharsets.UTF_8)));
        config.put("ocr.auth.jwt.public-key-location", keys().resolve("public.pem").toString());
        config.put("ocr.auth.jwt.issuer", ISSUER);
        config.put("ocr.callback.allow-private-targets", "true");
        config.put("ocr.tenant.overrides." + QUOTA_TENANT + ".max-queued", String.valueOf(QUOTA));
        config.put("ocr.auth.ingress.token-sha256", Sha256.hex(INGRESS_TOKEN.getBytes(StandardCharsets.UTF_8)));
        config.put("ocr.auth.ingress.tenant", INGRESS_TENANT);
        return config;
    }

    /** A token of {@link #ISSUER} for {@code tenant} (its {@code sub}), valid for five minutes. */
    public static String token(String tenant) {
        return sign(claims(tenant, ISSUER, Instant.now().plus(Duration.ofMinutes(5))), privateKey());
    }

    /** A token that expired two minutes ago, beyond the service's 30 s of clock skew. */
    public static String expiredToken(String tenant) {
        return sign(claims(tenant, ISSUER, Instant.now().minus(Duration.ofMinutes(2))), privateKey());
    }

    /** A token like {@link #token} but from another issuer. */
    public static String otherIssuerToken(String tenant) {
        return sign(claims(tenant, "https://elsewhere.test", Instant.now().plus(Duration.ofMinutes(5))), privateKey());
    }

    /** A token like {@link #token} but signed by a key the service does not know. */
    public static String forgedToken(String tenant) {
        try {
            return sign(claims(tenant, ISSUER, Instant.now().plus(Duration.ofMinutes(5))), generate().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaims claims(String tenant, String issuer, Instant expires) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(tenant);
        claims.setIssuer(issuer);
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        return claims;
    }

    private static String sign(JwtClaims claims, PrivateKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey() {
        try {
            byte[] pkcs8 = Files.readAllBytes(keys().resolve("private.pk8"));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run's key pair, made on first use: {@code public.pem} for the service, {@code private.pk8} for signing. */
    private static synchronized Path keys() {
        return Path.of((String) System.getProperties().computeIfAbsent(DIR_PROPERTY, name -> {
            try {
                Path dir = Files.createTempDirectory("async-ocr-test-keys");
                dir.toFile().deleteOnExit();
                KeyPair pair = generate();
                Files.writeString(dir.resolve("public.pem"), RsaKeyUtil.pemEncode(pair.getPublic()));
                Files.write(dir.resolve("private.pk8"), pair.getPrivate().getEncoded());
                dir.resolve("public.pem").toFile().deleteOnExit();
                dir.resolve("private.pk8").toFile().deleteOnExit();
                return dir.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    private static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
