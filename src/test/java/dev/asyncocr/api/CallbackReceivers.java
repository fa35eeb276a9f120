package dev.asyncocr.api;

import dev.asyncocr.testing.CallbackProfile;
import dev.asyncocr.testing.EventReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The receivers of the tests that run on {@link CallbackProfile}: one for the jobs' callback URLs, and the
 * configured sink, which gets every completion event too. Each test class opens its own and closes them
 * when it ends, as the next class reuses the sink's port.
 */
abstract class CallbackReceivers {

    static EventReceiver receiver;
    static EventReceiver sink;

    @BeforeAll
    static void openReceivers() {
        receiver = new EventReceiver(0);
        sink = new EventReceiver(CallbackProfile.sinkPort());
    }

    @AfterAll
    static void closeReceivers() {
        receiver.close();
        sink.close();
    }
}
