package dev.asyncocr.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.ConfigMapping;

/** Documents (PDF, multi-page TIFF): how large they may be and how their pages are rendered. */
@ConfigMapping(prefix = "ocr.document")
public interface DocumentConfig {

    /** The most pages one job reads (after a {@code pages} selection); more answer 413 TOO_MANY_PAGES. */
    @WithDefault("500")
    int maxPages();

    /** Largest accepted document, in bytes (50 MiB); the HTTP body limit must admit it. */
    @WithDefault("52428800")
    long maxBytes();

    /** The DPI a PDF page is rendered at, unless the request asks for another ({@code dpi}, 72 to 600). */
    @WithDefault("200")
    int dpi();
}
