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

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }
}
