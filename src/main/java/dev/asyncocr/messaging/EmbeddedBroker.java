package dev.asyncocr.messaging;

import io.quarkus.logging.Log;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * ActiveMQ Artemis in this process, with an AMQP 1.0 acceptor on loopback: the broker of a
 * single-process deployment, reached through the same client code as an external one. With a journal
 * folder, its messages persist there (Artemis's journal, each durable message synced to disk before the
 * broker accepts it), so that queued and unsettled ones are delivered again after a restart; without one
 * they live in memory, like the jobs of the in-memory store they belong to.
 */
public final class EmbeddedBroker implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private final int port;
    private final String deadLetters;
    private final Path dataDir;
    private final boolean persistent;
    private EmbeddedActiveMQ server;

    private EmbeddedBroker(int port, String deadLetters, Path dataDir, boolean persistent) {
        this.port = port;
        this.deadLetters = deadLetters;
        this.dataDir = dataDir;
        this.persistent = persistent;
    }

    /**
     * Starts a broker on {@code port}, or on a free port when it is 0.
     *
     * @param deadLetters where expired messages go (ours never expire; Artemis wants an answer)
     * @param journal     the folder its messages persist in; empty: they live in memory
     */
    static EmbeddedBroker start(int port, String deadLetters, Optional<Path> journal) {
        try {
            EmbeddedBroker broker = new EmbeddedBroker(port == 0 ? freePort() : port, deadLetters,
                    journal.isPresent() ? journal.get() : Files.createTempDirectory("async-ocr-artemis"),
                    journal.isPresent());
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the embedded broker", e);
        }
    }

    /** Starts it again after {@link #stop()}, on the same port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ().setConfiguration(configuration());
        try {
            embedded.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the embedded AMQP broker on " + HOST + ":" + port, e);
        }
        server = embedded;
        Log.infof("Embedded ActiveMQ Artemis accepts AMQP 1.0 on %s:%d, messages %s", HOST, port,
                persistent ? "persisted in " + dataDir : "in memory");
    }

    /** Stops it; clients see the broker go away, as with an external broker that went down. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            Log.warnf(e, "The embedded broker did not stop cleanly");
        }
        server = null;
    }

    public BrokerEndpoint endpoint() {
        return new BrokerEndpoint(HOST, port, false, null, null);
    }

    /** Stops it for good and removes its working folder, unless its messages persist there. */
    @Override
    public void close() {
        stop();
        if (persistent) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            Log.debugf(e, "Cannot remove %s", dataDir);
        }
    }

    private Configuration configuration() {
        // every address is an auto-created anycast queue that keeps redelivering: JobService bounds attempts
        // and dead-letters by itself
        AddressSettings queues = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetters))
                .setExpiryAddress(SimpleString.of(deadLetters))
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setMaxDeliveryAttempts(-1);
        Configuration config = new ConfigurationImpl()
                .setName("async-ocr-embedded")
                .setPersistenceEnabled(persistent)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setCriticalAnalyzer(false);
        config.setBrokerInstance(dataDir.toFile());
        if (persistent) {
            // NIO works everywhere; the faster AIO would need libaio on the host. Each message is written and
            // synced at once: the default batching window (3.3 ms) was what a lone submission waited for
            config.setJournalType(JournalType.NIO)
                    .setJournalBufferTimeout_NIO(0)
                    .setJournalDirectory(dataDir.resolve("journal").toString())
                    .setBindingsDirectory(dataDir.resolve("bindings").toString())
                    .setPagingDirectory(dataDir.resolve("paging").toString())
                    .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        }
        config.addAddressSetting("#", queues);
        try {
            config.addAcceptorConfiguration("amqp", "tcp://" + HOST + ":" + port + "?protocols=AMQP");
        } catch (Exception e) {
            throw new IllegalStateException("Bad acceptor for port " + port, e);
        }
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
