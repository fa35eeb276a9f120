package dev.asyncocr.image;

/**
 * A document page as pixels, ready for the pipeline.
 *
 * @param image the page as an encoded image
 * @param dpi   the DPI it was rendered at: lower than asked when the page would have had too many pixels; null
 *              for an image that was not rendered (a TIFF frame)
 */
public record RenderedPage(byte[] image, Integer dpi) {
}
