package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What this replica does: one image serves every role of a deployment. */
@ConfigMapping(prefix = "ocr")
public interface RoleConfig {

    enum Role {
        /** Everything in one process: the default, and the only role the embedded broker and memory store allow. */
        ALL,
        /** HTTP API, CloudEvents ingress and callback delivery; loads no models and runs no inference. */
        API,
        /** Consumes the queue and runs the models; serves health and metrics only. */
        WORKER;

        public boolean servesApi() {
            return this != WORKER;
        }

        public boolean runsWorkers() {
            return this != API;
        }
    }

    @WithDefault("all")
    Role role();
}
