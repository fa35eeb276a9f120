package dev.asyncocr.image;

/**
 * A document page ready for the pipeline: as pixels, or, for a PDF page with a real text layer, as that text.
 *
 * @param image the page as an encoded image; null when its text was taken from its text layer
 * @param dpi   the DPI it was rendered (or its text placed) at: lower than asked when the page would have had too
 *              many pixels; null for an image that was not rendered (a TIFF frame)
 * @param text  the page's own text, when it was taken instead of recognising the page; else null
 */
public record RenderedPage(byte[] image, Integer dpi, PageText text) {

    /** A page to recognise. */
    public RenderedPage(byte[] image, Integer dpi) {
        this(image, dpi, null);
    }
}
