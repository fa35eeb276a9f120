package dev.asyncocr.image;

/**
 * A document opened at intake (a PDF, or a TIFF of several frames): counted, then cut into one part per
 * selected page, so that each page task reads only its own part. Holds native or scratch-file resources until
 * closed.
 */
public interface Document extends AutoCloseable {

    /** The pages the document has, in its own numbering 1..n. */
    int pageCount();

    /**
     * Page {@code page} on its own: a one-page PDF, or a TIFF frame as PNG.
     *
     * @throws ImageRejectedException the page cannot be read
     */
    byte[] part(int page);

    @Override
    void close();
}
