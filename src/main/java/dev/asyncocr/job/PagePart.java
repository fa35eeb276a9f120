package dev.asyncocr.job;

/**
 * What one page task reads from the store (its claim check): the page cut out of its document at intake, a
 * one-page PDF or one TIFF frame, so that no worker fetches a whole document for a page.
 *
 * @param page the page's number in the document's own numbering
 */
public record PagePart(int page, byte[] bytes) {
}
