package dev.asyncocr.job;

/** An {@code Idempotency-Key} sent again with a different image. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String key, String requestId) {
        super("Idempotency-Key '" + key + "' was used for request " + requestId + " with a different image");
    }
}
