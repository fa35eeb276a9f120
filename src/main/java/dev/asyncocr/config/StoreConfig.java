package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where jobs, their images and results live. */
@ConfigMapping(prefix = "ocr.store")
public interface StoreConfig {

    enum Type {
        /** A SQLite file in {@code ocr.data-dir}: one process, survives its restarts. */
        FILE,
        /** In this process only: a single replica, lost on restart; nothing is written to disk. */
        MEMORY,
        /** Redis at {@code quarkus.redis.hosts}: shared by every replica, survives restarts. */
        REDIS
    }

    @WithDefault("file")
    Type type();

    /** How long a job (its image, record and result) is kept after submission. */
    @WithDefault("1h")
    Duration resultTtl();

    /** Prefix of every Redis key, so that several deployments can share one Redis. */
    @WithDefault("async-ocr:")
    String redisKeyPrefix();
}
