package dev.asyncocr.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.StoreConfig;
import dev.asyncocr.job.JobStore;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The store that {@code ocr.store.type} names; Redis is only touched when chosen. */
public class JobStoreProducer {

    @Produces
    @Singleton
    JobStore jobStore(StoreConfig config, Instance<RedisDataSource> redis, ObjectMapper json, RoleConfig roles) {
        if (config.type() == StoreConfig.Type.MEMORY && roles.role() != RoleConfig.Role.ALL) {
            throw new IllegalStateException("ocr.role=" + roles.role().name().toLowerCase()
                    + " needs a store shared with the other roles: set ocr.store.type=redis (the memory store "
                    + "serves only this process)");
        }
        Log.infof("Job store: %s, results kept %s", config.type().name().toLowerCase(), config.resultTtl());
        return switch (config.type()) {
            case MEMORY -> new InMemoryJobStore(config.resultTtl(), Clock.systemUTC());
            case REDIS -> new RedisJobStore(redis.get(), json, config.resultTtl(), config.redisKeyPrefix());
        };
    }
}
