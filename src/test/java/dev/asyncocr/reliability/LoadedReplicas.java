package dev.asyncocr.reliability;

import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.ServiceReplicas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

/** What a test of the packaged service under load starts with: its replicas and a callback receiver. */
abstract class LoadedReplicas {

    @RegisterExtension
    final ServiceReplicas replicas = shape();
    final EventReceiver receiver = new EventReceiver(0);

    /** The replicas' shape: production (RabbitMQ and Redis) unless a test says otherwise. */
    ServiceReplicas shape() {
        return new ServiceReplicas();
    }

    /** One replica of two workers on a free port, and a load on it that calls back to the receiver. */
    Load oneReplica() throws Exception {
        return oneReplica(Map.of());
    }

    /** As {@link #oneReplica()}, with {@code settings} (environment variables) beyond {@link Settings#replica}. */
    Load oneReplica(Map<String, String> settings) throws Exception {
        int port = ServiceReplicas.freePort();
        Map<String, String> env = new HashMap<>(Settings.replica(2));
        env.putAll(settings);
        replicas.start(port, "replica", env);
        return new Load(() -> port, receiver.url("/hook"));
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }
}
