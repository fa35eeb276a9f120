package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The folder where a single-process deployment keeps what must survive a restart. */
@ConfigMapping(prefix = "ocr")
public interface DataConfig {

    /**
     * The file store's database and the embedded broker's journal; created at start. Unused with
     * {@code ocr.store.type=memory}.
     */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();
}
