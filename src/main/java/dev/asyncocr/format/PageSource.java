package dev.asyncocr.format;

/**
 * What a page of a searchable PDF shows under its invisible text: the image it was read from, or the page of a
 * submitted PDF, kept as it is with the text laid on top.
 */
public sealed interface PageSource {

    /**
     * The image as it was uploaded: a JPEG goes into the PDF as it is, any other format losslessly.
     *
     * @param bytes the encoded image
     */
    record Image(byte[] bytes) implements PageSource {
    }

    /**
     * A page of a submitted PDF, as its job stored it.
     *
     * @param part a one-page PDF
     */
    record PdfPage(byte[] part) implements PageSource {
    }
}
