package dev.asyncocr.reliability;

import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.ServiceReplicas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a test of the packaged service under load starts with: its replicas and a callback receiver. */
abstract class LoadedReplicas {

    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();
    final EventReceiver receiver = new EventReceiver(0);

    /** One replica of two workers on a free port, and a load on it that calls back to the receiver. */
    Load oneReplica() throws Exception {
        int port = ServiceReplicas.freePort();
        replicas.start(port, "replica", Settings.replica(2));
        return new Load(() -> port, receiver.url("/hook"));
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }
}
