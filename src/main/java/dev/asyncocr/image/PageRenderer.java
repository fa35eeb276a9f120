package dev.asyncocr.image;

/**
 * Turns a page's part into the image the pipeline reads, on the worker that runs the page: a PDF page is
 * rendered (at a lower DPI when the asked one would exceed the pixel limit), a TIFF frame is already an image.
 */
public final class PageRenderer {

    private final long maxPixels;

    /** @param maxPixels the most pixels a rendered page may have ({@code ocr.api.max-pixels}) */
    public PageRenderer(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * @param dpi the DPI asked for a PDF page
     * @return the page as an image; its DPI null for a TIFF frame
     * @throws ImageRejectedException the part cannot be read or rendered
     */
    public RenderedPage render(byte[] part, int dpi) {
        return PdfDocument.isPdf(part) ? PdfDocument.render(part, dpi, maxPixels) : new RenderedPage(part, null);
    }
}
