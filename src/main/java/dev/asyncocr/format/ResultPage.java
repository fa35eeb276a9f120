package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrResult;

/**
 * One page of a job's result, what every renderer takes a list of: an image job is one page, a document
 * job (PDF, multi-page TIFF) one per page.
 *
 * @param number  its 1-based page number
 * @param result  what was read on it; null for a page that failed (renderers mark it, and go on)
 * @param ownText whether its text is the page's own (a PDF's text layer), which a searchable PDF keeps as it is
 */
public record ResultPage(int number, OcrResult result, boolean ownText) {

    /** A page whose text was recognised. */
    public ResultPage(int number, OcrResult result) {
        this(number, result, false);
    }

    public boolean failed() {
        return result == null;
    }
}
