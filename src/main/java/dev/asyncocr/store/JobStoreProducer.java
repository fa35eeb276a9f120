package dev.asyncocr.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.DataFolder;
import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.StoreConfig;
import dev.asyncocr.job.JobStore;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;

/** The store that {@code ocr.store.type} names; Redis and the data folder are only touched when chosen. */
public class JobStoreProducer {

    /** The file store's database in the data folder. */
    public static final String DATABASE = "jobs.db";

    @Produces
    @Singleton
    JobStore jobStore(StoreConfig config, Instance<RedisDataSource> redis, Instance<DataFolder> folder,
                      ObjectMapper json, RoleConfig roles,
                      @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration redisTimeout) {
        if (config.type() != StoreConfig.Type.REDIS && roles.role() != RoleConfig.Role.ALL) {
            throw new IllegalStateException("ocr.role=" + roles.role().name().toLowerCase()
                    + " needs a store shared with the other roles: set ocr.store.type=redis (the "
                    + config.type().name().toLowerCase() + " store serves only this process)");
        }
        Log.infof("Job store: %s, results kept %s", config.type().name().toLowerCase(), config.resultTtl());
        return switch (config.type()) {
            case FILE -> new FileJobStore(folder.get().resolve(DATABASE), json, config.resultTtl(), Clock.systemUTC());
            case MEMORY -> new InMemoryJobStore(config.resultTtl(), Clock.systemUTC());
            case REDIS -> new RedisJobStore(redis.get(), json, config.resultTtl(), config.redisKeyPrefix(),
                    redisTimeout);
        };
    }

    void close(@Disposes JobStore store) {
        if (store instanceof FileJobStore file) {
            file.close();
        }
    }
}
