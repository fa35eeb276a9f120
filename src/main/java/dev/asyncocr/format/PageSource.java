package dev.asyncocr.format;

/**
 * What a page of a searchable PDF shows under its invisible text: for now the image the page was read from.
 * A page of a PDF that was submitted would be another kind, kept as it is with the text laid on top.
 */
public sealed interface PageSource {

    /**
     * The image as it was uploaded: a JPEG goes into the PDF as it is, any other format losslessly.
     *
     * @param bytes the encoded image
     */
    record Image(byte[] bytes) implements PageSource {
    }
}
