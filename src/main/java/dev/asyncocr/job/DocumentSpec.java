package dev.asyncocr.job;

import dev.asyncocr.image.TextLayer;

/**
 * What a document job is beside its options: how many page tasks it holds, how its PDF pages are read and
 * which events it asked for.
 *
 * @param pagesTotal the pages the job reads (after a selection), each its own {@link PageTask}
 * @param dpi        the DPI its PDF pages are rendered at
 * @param pageEvents whether each page that turns final sends an event of its own ({@code page_events=true})
 * @param outcome    its pages' outcomes once it finished (what its completion event tells); null before
 * @param textLayer  whether a PDF page's own text may be taken instead of recognising it; null in jobs stored
 *                   before it was asked, read as {@link TextLayer#AUTO}
 */
public record DocumentSpec(int pagesTotal, int dpi, boolean pageEvents, Progress outcome, TextLayer textLayer) {

    public DocumentSpec {
        textLayer = textLayer == null ? TextLayer.AUTO : textLayer;
    }

    public static DocumentSpec of(int pagesTotal, int dpi, boolean pageEvents, TextLayer textLayer) {
        return new DocumentSpec(pagesTotal, dpi, pageEvents, null, textLayer);
    }

    /** This document with the outcomes its pages ended with. */
    DocumentSpec finished(Progress progress) {
        return new DocumentSpec(pagesTotal, dpi, pageEvents, progress, textLayer);
    }
}
