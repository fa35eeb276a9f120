package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrResult;

/**
 * One page of a job's result, what every renderer takes a list of: an image job is one page, a document
 * job (PDF, multi-page TIFF) one per page.
 *
 * @param number its 1-based page number
 * @param result what was read on it; null for a page that failed (renderers mark it, and go on)
 */
public record ResultPage(int number, OcrResult result) {

    public boolean failed() {
        return result == null;
    }
}
