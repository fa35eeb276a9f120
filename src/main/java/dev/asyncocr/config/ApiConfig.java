package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on what the HTTP API accepts. */
@ConfigMapping(prefix = "ocr.api")
public interface ApiConfig {

    /** Largest accepted image, in bytes (20 MiB). */
    @WithDefault("20971520")
    long maxBytes();

    /** Largest accepted image, in pixels (40 megapixels), decided from the header before decoding. */
    @WithDefault("40000000")
    long maxPixels();
}
