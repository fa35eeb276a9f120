package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Limits on what the HTTP API accepts. */
@ConfigMapping(prefix = "ocr.api")
public interface ApiConfig {

    /** Largest accepted image, in bytes (20 MiB). */
    @WithDefault("20971520")
    long maxBytes();

    /** Largest accepted image, in pixels (40 megapixels), decided from the header before decoding. */
    @WithDefault("40000000")
    long maxPixels();

    /** How long {@code POST /ocr} waits for its job; past it the answer is 202 with the result's location. */
    @WithDefault("30s")
    Duration syncTimeout();

    /**
     * The service's public base URL (e.g. {@code https://ocr.example.com}), on which {@code Location} headers are
     * absolute; unset, they are relative ({@code /ocr/result/{id}}), or absolute on the proxy's scheme and host
     * when {@code quarkus.http.proxy.proxy-address-forwarding} is on. Never built from a client's Host header.
     */
    Optional<URI> publicUrl();
}
