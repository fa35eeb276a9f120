package dev.asyncocr.messaging;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonClientOptions;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonSender;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Terminus;
import org.apache.qpid.proton.amqp.messaging.TerminusDurability;
import org.apache.qpid.proton.message.Message;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This replica's one AMQP 1.0 connection, kept open: lost connections are re-established with capped
 * backoff, and listeners re-attach their links each time. All Proton objects are touched only on one
 * Vert.x context, as Proton requires.
 *
 * <p>We talk AMQP through Vert.x Proton rather than the SmallRye AMQP connector because the connector's
 * receiver grants the broker 1000 credits and tops them up on arrival rather than on settlement: a
 * replica would hoard the queue that the autoscaler reads.
 */
public final class BrokerClient implements AutoCloseable {

    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 10_000;
    private static final int HEARTBEAT_MS = 10_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Vertx vertx;
    private final Context context;
    private final BrokerEndpoint endpoint;
    private final String containerId = "async-ocr-" + UUID.randomUUID();
    private final List<Consumer<ProtonConnection>> listeners = new CopyOnWriteArrayList<>();
    /** Senders by address, on the current connection; touched on {@link #context} only. */
    private final Map<String, ProtonSender> senders = new HashMap<>();
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private ProtonConnection connection;
    private long retryMs = FIRST_RETRY_MS;
    private volatile boolean connected;
    private volatile boolean closed;

    BrokerClient(Vertx vertx, BrokerEndpoint endpoint) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.endpoint = endpoint;
    }

    /** Starts connecting; waits up to {@code wait} for the first connection, then goes on in the background. */
    void connect(Duration wait) {
        run(this::attempt);
        try {
            firstConnection.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Log.warnf("No connection to the AMQP broker at %s yet; submissions answer 503 until there is one",
                    endpoint);
        }
    }

    /** Whether the connection is open now; a send without it fails at once. */
    public boolean isConnected() {
        return connected;
    }

    public BrokerEndpoint endpoint() {
        return endpoint;
    }

    /** Runs {@code listener} on every (re)connection, on the connection's context; at once if connected now. */
    void onConnected(Consumer<ProtonConnection> listener) {
        listeners.add(listener);
        context.runOnContext(v -> {
            if (connection != null && connected) {
                listener.accept(connection);
            }
        });
    }

    /** Runs {@code task} on the connection's context. */
    void run(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /** Runs {@code task} on the connection's context once {@code delay} has passed. */
    void runLater(Duration delay, Runnable task) {
        vertx.setTimer(Math.max(1, delay.toMillis()), t -> run(task));
    }

    /**
     * Sends a durable message to {@code address}; the Uni completes when the broker has accepted it
     * (stored it, for a durable queue) and fails when it refuses, or at once when not connected.
     */
    Uni<Void> send(String address, Message message) {
        return Uni.createFrom().emitter(emitter -> run(() -> {
            if (connection == null || !connected) {
                emitter.fail(new IllegalStateException("Not connected to the AMQP broker at " + endpoint));
                return;
            }
            ProtonSender sender = senders.computeIfAbsent(address, this::openSender);
            message.setDurable(true);
            sender.send(message, delivery -> {
                if (delivery.getRemoteState() instanceof Accepted) {
                    emitter.complete(null);
                } else {
                    emitter.fail(new IllegalStateException("The broker did not accept the message to '" + address
                            + "': " + delivery.getRemoteState()));
                }
            });
        }));
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            if (connection != null) {
                connection.close();
                connection.disconnect();
                connection = null;
            }
            connected = false;
            done.complete(null);
        });
        done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private ProtonSender openSender(String address) {
        ProtonSender sender = connection.createSender(address);
        durable(sender.getTarget());
        sender.closeHandler(result -> {
            senders.remove(address, sender);
            if (result.failed()) {
                Log.warnf(result.cause(), "The broker closed our link to '%s'", address);
            }
            sender.close();
        });
        return sender.open();
    }

    /**
     * Asks for a durable terminus (a link's source or target): RabbitMQ then declares the queue behind a
     * {@code /queue/...} address durable, so that queued jobs survive a broker restart, and refuses links
     * that disagree with an existing queue. Artemis's anycast queues are durable either way.
     */
    public static void durable(Object terminus) {
        if (terminus instanceof Terminus t) {
            t.setDurable(TerminusDurability.CONFIGURATION);
        }
    }

    private void attempt() {
        if (closed) {
            return;
        }
        ProtonClientOptions options = new ProtonClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setHeartbeat(HEARTBEAT_MS)
                .setSsl(endpoint.tls());
        ProtonClient.create(vertx).connect(options, endpoint.host(), endpoint.port(), endpoint.username(),
                endpoint.password(), result -> {
                    if (result.failed()) {
                        retryLater(result.cause());
                        return;
                    }
                    ProtonConnection opening = result.result().setContainer(containerId);
                    opening.openHandler(opened -> {
                        if (opened.failed()) {
                            opening.disconnect();
                            retryLater(opened.cause());
                            return;
                        }
                        connection = opening;
                        connected = true;
                        retryMs = FIRST_RETRY_MS;
                        Log.infof("Connected to the AMQP broker at %s", endpoint);
                        firstConnection.complete(null);
                        listeners.forEach(l -> l.accept(opening));
                    });
                    opening.closeHandler(x -> lost(opening, "closed by the broker"));
                    opening.disconnectHandler(x -> lost(opening, "disconnected"));
                    opening.open();
                });
    }

    private void lost(ProtonConnection lost, String why) {
        lost.disconnect();
        if (connection != lost) {
            return;
        }
        connection = null;
        connected = false;
        senders.clear();
        if (!closed) {
            Log.warnf("Lost the AMQP broker at %s (%s); reconnecting", endpoint, why);
            retryLater(null);
        }
    }

    private void retryLater(Throwable cause) {
        if (closed) {
            return;
        }
        if (cause != null) {
            Log.warnf("Cannot connect to the AMQP broker at %s (%s); retrying in %d ms", endpoint, cause.getMessage(),
                    retryMs);
        }
        vertx.setTimer(retryMs, t -> run(this::attempt));
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
}
