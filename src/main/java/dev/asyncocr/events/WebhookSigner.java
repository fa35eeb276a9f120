package dev.asyncocr.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signs events the Standard Webhooks way: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one
 * signature per secret, space-separated, so that receivers keep verifying while a secret is rotated.
 */
public final class WebhookSigner {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    static final String SECRET_PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    private WebhookSigner(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /**
     * @param secrets each {@code whsec_} followed by the key in base64
     * @throws IllegalArgumentException a secret written otherwise (the message never shows the secret)
     */
    public static WebhookSigner of(List<String> secrets) {
        return new WebhookSigner(secrets.stream().map(String::strip).map(WebhookSigner::key).toList());
    }

    public boolean signs() {
        return !keys.isEmpty();
    }

    /** The {@code webhook-signature} value; empty when there is no secret. */
    public String signature(String id, long timestampSeconds, byte[] body) {
        byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        return keys.stream().map(key -> "v1," + Base64.getEncoder().encodeToString(hmac(key, prefix, body)))
                .collect(Collectors.joining(" "));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    private static SecretKeySpec key(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("A signing secret must be written " + SECRET_PREFIX
                    + "<base64>; one of ocr.callback.signing-secrets is not");
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            if (key.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return new SecretKeySpec(key, ALGORITHM);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A signing secret in ocr.callback.signing-secrets has no valid base64 "
                    + "key after " + SECRET_PREFIX);
        }
    }
}
