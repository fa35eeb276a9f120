package dev.asyncocr.format;

import java.util.Optional;

/**
 * Where a renderer that draws pages (the searchable PDF) finds each page's source, asked for one page at a
 * time while it writes, so that a document's images need not all be held at once.
 */
@FunctionalInterface
public interface PageSources {

    /** For formats that draw no pages, and results whose images are gone. */
    PageSources NONE = page -> Optional.empty();

    /** The source of the page numbered {@code page} (1-based), if there is one. */
    Optional<PageSource> of(int page);
}
