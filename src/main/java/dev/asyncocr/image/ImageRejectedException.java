package dev.asyncocr.image;

/** The input is not an image (or document) we can read. Input errors are final: retrying the same bytes cannot help. */
public class ImageRejectedException extends RuntimeException {

    /** Why; {@code ErrorCode.of} names the code the API answers with. */
    public enum Reason {
        /** Not an image, or a corrupt one. */
        UNDECODABLE,
        /** An image format we do not read. */
        UNSUPPORTED_FORMAT,
        /** More pixels than the configured limit (decided from the header, before decoding). */
        TOO_LARGE,
        /** A document (PDF, TIFF) that cannot be read: truncated, unparseable, or without pages. */
        DOCUMENT_UNREADABLE,
        /** A PDF that needs a password to open, and none or a wrong one came with it. */
        DOCUMENT_ENCRYPTED,
        /** More pages than {@code ocr.document.max-pages}. */
        TOO_MANY_PAGES
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
