package dev.asyncocr.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * Turns a page's part into what the worker reads, on the worker that runs the page: a PDF page with a real text
 * layer, when the job lets it ({@link TextLayer#AUTO}), as that text; any other PDF page rendered (at a lower DPI
 * when the asked one would exceed the pixel limit); a TIFF frame is already an image. And, for a client to see it,
 * the page as those pixels.
 */
public final class PageRenderer {

    private final long maxPixels;
    private final ImageDecoder decoder;

    /** @param maxPixels the most pixels a rendered page may have ({@code ocr.api.max-pixels}) */
    public PageRenderer(long maxPixels) {
        this.maxPixels = maxPixels;
        this.decoder = new ImageDecoder(maxPixels);
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

    /**
     * The page as a PNG of the pixels the pipeline reads, or would read: rendered as {@link #render} renders it
     * (a page whose own text was taken, too, at the same size), and decoded as the pipeline decodes an image
     * (turned upright), so that a result's boxes lie on it.
     *
     * @throws ImageRejectedException the part cannot be read or rendered
     */
    public byte[] png(byte[] part, int dpi) {
        try (Mat pixels = decoder.decode(render(part, dpi, TextLayer.OCR).image());
             BytePointer png = new BytePointer()) {
            imencode(".png", pixels, png);
            byte[] bytes = new byte[(int) png.limit()];
            png.get(bytes);
            return bytes;
        }
    }
}
