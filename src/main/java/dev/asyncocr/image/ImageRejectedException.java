package dev.asyncocr.image;

/** The input is not an image we can read. Input errors are final: retrying the same bytes cannot help. */
public class ImageRejectedException extends RuntimeException {

    /** Why; {@code ErrorCode.of} names the code the API answers with. */
    public enum Reason {
        /** Not an image, or a corrupt one. */
        UNDECODABLE,
        /** An image format we do not read. */
        UNSUPPORTED_FORMAT,
        /** More pixels than the configured limit (decided from the header, before decoding). */
        TOO_LARGE
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
