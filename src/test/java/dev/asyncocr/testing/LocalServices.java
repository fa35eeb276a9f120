package dev.asyncocr.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The machine's own services that some tests talk to (Redis, RabbitMQ), as `.ci/run` starts them. */
public final class LocalServices {

    private LocalServices() {
    }

    /** Skips the test (fails on CI) unless something listens on the port. */
    public static void require(String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
        } catch (IOException e) {
            SharedData.skipOutsideCi(service + " is not reachable on " + host + ":" + port + " (" + e.getMessage()
                    + "): this test needs it running");
        }
    }
}
