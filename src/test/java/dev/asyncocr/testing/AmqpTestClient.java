package dev.asyncocr.testing;

import dev.asyncocr.messaging.BrokerClient;
import dev.asyncocr.messaging.BrokerEndpoint;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test-only: a plain AMQP 1.0 client, to put raw messages on a queue and to read a queue, as an operator would. */
public final class AmqpTestClient implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final ProtonConnection connection;

    public AmqpTestClient(BrokerEndpoint endpoint) throws Exception {
        Promise<ProtonConnection> opened = Promise.promise();
        vertx.runOnContext(v -> ProtonClient.create(vertx).connect(endpoint.host(), endpoint.port(),
                endpoint.username(), endpoint.password(), result -> {
                    if (result.failed()) {
                        opened.fail(result.cause());
                    } else {
                        result.result().openHandler(o -> opened.handle(o)).open();
                    }
                }));
        connection = opened.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A message whose body is a string value, as many clients send. */
    public static Message text(String body) {
        Message message = Message.Factory.create();
        message.setBody(new AmqpValue(body));
        return message;
    }

    /** Sends and waits until the broker accepts. */
    public void send(String address, Message message) throws Exception {
        Promise<Void> accepted = Promise.promise();
        vertx.runOnContext(v -> durable(connection.createSender(address)).openHandler(o -> {
            o.result().send(message, delivery -> {
                if (delivery.getRemoteState() instanceof Accepted) {
                    accepted.complete();
                } else {
                    accepted.fail("not accepted: " + delivery.getRemoteState());
                }
                o.result().close();
            });
        }).open());
        accepted.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Takes (accepts) what arrives on {@code address} until a message is {@code wanted}, {@code within} at most. */
    public void awaitMessage(String address, Predicate<Message> wanted, Duration within) {
        List<Message> received = new CopyOnWriteArrayList<>();
        ProtonReceiver[] link = new ProtonReceiver[1];
        vertx.runOnContext(v -> {
            link[0] = connection.createReceiver(address);
            BrokerClient.durable(link[0].getSource());
            link[0].handler((delivery, message) -> received.add(message)).open();
        });
        try {
            Awaitility.await("a wanted message on " + address).atMost(within).pollInterval(Duration.ofMillis(50))
                    .until(() -> received.stream().anyMatch(wanted));
        } finally {
            vertx.runOnContext(v -> link[0].close());
        }
    }

    private static ProtonSender durable(ProtonSender sender) {
        BrokerClient.durable(sender.getTarget());
        return sender;
    }

    @Override
    public void close() {
        vertx.runOnContext(v -> connection.close());
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
