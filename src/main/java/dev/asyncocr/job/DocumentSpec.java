package dev.asyncocr.job;

/**
 * What a document job is beside its options: how many page tasks it holds and how its PDF pages are rendered.
 *
 * @param pagesTotal the pages the job reads (after a selection), each its own {@link PageTask}
 * @param dpi        the DPI its PDF pages are rendered at
 * @param outcome    its pages' outcomes once it finished (what its completion event tells); null before
 */
public record DocumentSpec(int pagesTotal, int dpi, Progress outcome) {

    public static DocumentSpec of(int pagesTotal, int dpi) {
        return new DocumentSpec(pagesTotal, dpi, null);
    }
}
