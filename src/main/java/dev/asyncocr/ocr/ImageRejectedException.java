package dev.asyncocr.ocr;

/** The input is not an image we can read. Input errors are final: retrying the same bytes cannot help. */
public class ImageRejectedException extends RuntimeException {

    /** Each reason with the API error code that reports it. */
    public enum Reason {
        /** Not an image, or a corrupt one. */
        UNDECODABLE("IMAGE_UNDECODABLE"),
        /** An image format we do not read. */
        UNSUPPORTED_FORMAT("UNSUPPORTED_MEDIA_TYPE"),
        /** More pixels than the configured limit (decided from the header, before decoding). */
        TOO_LARGE("IMAGE_TOO_LARGE");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The error code on the wire, e.g. {@code IMAGE_UNDECODABLE}. */
        public String code() {
            return code;
        }
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
