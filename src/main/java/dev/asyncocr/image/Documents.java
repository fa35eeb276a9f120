package dev.asyncocr.image;

import java.util.Optional;

/** Tells a document (a PDF, a TIFF of several frames) from an image, by its bytes rather than its declared type. */
public final class Documents {

    private Documents() {
    }

    /**
     * The upload opened as a document, or empty when it is an image (a single-frame TIFF included).
     *
     * @param password opens an encrypted PDF; null when none came
     * @throws ImageRejectedException it is a document that cannot be read
     */
    public static Optional<Document> open(byte[] bytes, String password, long maxPixels) {
        if (PdfDocument.isPdf(bytes)) {
            return Optional.of(PdfDocument.open(bytes, password));
        }
        if (TiffDocument.isTiff(bytes)) {
            return TiffDocument.openIfMultiPage(bytes, maxPixels).map(Document.class::cast);
        }
        return Optional.empty();
    }

    /** Whether {@code bytes} are a document rather than an image. */
    public static boolean isDocument(byte[] bytes, long maxPixels) {
        try (Document document = open(bytes, null, maxPixels).orElse(null)) {
            return document != null;
        } catch (ImageRejectedException e) {
            return true; // a document, if a broken one
        }
    }
}
