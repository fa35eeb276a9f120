package dev.asyncocr.messaging;

import dev.asyncocr.DataFolder;
import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.StoreConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The broker connection: to {@code ocr.queue.url}, or else to an embedded broker started here first. */
public class BrokerProducer {

    /** Start-up waits this long for the broker, then goes on (answering 503) while it keeps trying. */
    private static final Duration FIRST_CONNECTION_WAIT = Duration.ofSeconds(10);
    /** The embedded broker's folder in the data folder. */
    static final String JOURNAL = "broker";

    @Produces
    @Singleton
    Optional<EmbeddedBroker> embeddedBroker(QueueConfig config, JobMessages messages, RoleConfig roles,
                                            StoreConfig store, Instance<DataFolder> folder) {
        if (config.url().isPresent()) {
            return Optional.empty();
        }
        if (roles.role() != RoleConfig.Role.ALL) {
            throw new IllegalStateException("ocr.role=" + roles.role().name().toLowerCase()
                    + " needs a broker shared with the other roles: set ocr.queue.url (the embedded broker "
                    + "serves only this process)");
        }
        // its messages persist beside jobs that do: only the memory store leaves nothing on disk
        Optional<Path> journal = store.type() == StoreConfig.Type.MEMORY ? Optional.empty()
                : Optional.of(folder.get().resolve(JOURNAL));
        return Optional.of(EmbeddedBroker.start(config.embeddedPort(), messages.deadLetters(), journal));
    }

    void stopEmbedded(@Disposes Optional<EmbeddedBroker> broker) {
        broker.ifPresent(EmbeddedBroker::close);
    }

    @Produces
    @Singleton
    @Startup
    BrokerClient brokerClient(Vertx vertx, QueueConfig config, Optional<EmbeddedBroker> embedded) {
        BrokerEndpoint endpoint = config.url().map(url -> BrokerEndpoint.of(url, config))
                .orElseGet(() -> embedded.orElseThrow().endpoint());
        Log.infof("AMQP broker: %s, queue '%s'", endpoint, config.address());
        BrokerClient client = new BrokerClient(vertx, endpoint);
        client.connect(FIRST_CONNECTION_WAIT);
        return client;
    }

    void close(@Disposes BrokerClient client) {
        client.close();
    }
}
