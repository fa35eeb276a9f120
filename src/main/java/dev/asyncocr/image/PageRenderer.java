package dev.asyncocr.image;

/**
 * Turns a page's part into what the worker reads, on the worker that runs the page: a PDF page with a real text
 * layer, when the job lets it ({@link TextLayer#AUTO}), as that text; any other PDF page rendered (at a lower DPI
 * when the asked one would exceed the pixel limit); a TIFF frame is already an image.
 */
public final class PageRenderer {

    private final long maxPixels;

    /** @param maxPixels the most pixels a rendered page may have ({@code ocr.api.max-pixels}) */
    public PageRenderer(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * @param dpi       the DPI asked for a PDF page
     * @param textLayer whether a PDF page's own text may be taken instead of recognising it
     * @return the page as an image or as its own text; its DPI null for a TIFF frame
     * @throws ImageRejectedException the part cannot be read or rendered
     */
    public RenderedPage render(byte[] part, int dpi, TextLayer textLayer) {
        return PdfDocument.isPdf(part) ? PdfDocument.read(part, dpi, maxPixels, textLayer)
                : new RenderedPage(part, null);
    }
}
