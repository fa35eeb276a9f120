package dev.asyncocr.job;

/** An {@code Idempotency-Key} sent again with a different request: another image, or other options. */
public class IdempotencyKeyReusedException extends RuntimeException {

    private final String requestId;

    public IdempotencyKeyReusedException(String key, String requestId) {
        super("Idempotency-Key '" + key + "' was used for request " + requestId
                + " with a different image or different options");
        this.requestId = requestId;
    }

    /** The earlier job that holds the key. */
    public String requestId() {
        return requestId;
    }
}
