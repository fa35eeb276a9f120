package dev.asyncocr.events;

import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sends to a real HTTP receiver on loopback, the callback host's name resolved by a scripted resolver. */
class EventSenderTest {

    private static final String HOST = "hooks.rebinding.test";
    private static final CompletionEvents.Request EVENT =
            new CompletionEvents.Request(Map.of("ce-id", "job-1.succeeded"), "{}".getBytes());

    private final Vertx vertx = Vertx.vertx();
    private final EventReceiver receiver = new EventReceiver(0);
    private final List<String> lookups = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        receiver.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void connectsToTheAddressItCheckedNotToAnotherLookupsAnswer() throws Exception {
        // a rebinding host: the receiver's address first, then one where nothing listens
        CallbackTargets targets = new CallbackTargets(true, host -> {
            lookups.add(host);
            return new InetAddress[] {InetAddress.getByName(lookups.size() == 1 ? "127.0.0.1" : "127.0.0.2")};
        });
        URI target = URI.create(receiver.url("/hook").replace("127.0.0.1", HOST));

        SendResult result = send(targets, target, true);

        assertTrue(result.delivered(), String.valueOf(result));
        assertEquals(List.of(HOST), lookups, "one lookup, the checked one");
        Received request = receiver.received(r -> true).get(0);
        assertEquals(HOST + ":" + target.getPort(), request.header("Host"), "the server is still named by the URL");
        assertEquals("job-1.succeeded", request.header("ce-id"));
    }

    @Test
    void tlsNamesTheHostToThePinnedAddress() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> clientHello = CompletableFuture.supplyAsync(() -> {
                try (Socket connection = server.accept()) { // the handshake's first record, in clear
                    byte[] header = connection.getInputStream().readNBytes(5);
                    return connection.getInputStream().readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            CallbackTargets targets = new CallbackTargets(true, host -> {
                lookups.add(host);
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            });

            SendResult result = send(targets, URI.create("https://" + HOST + ":" + server.getLocalPort() + "/hook"), true);

            assertFalse(result.delivered(), "no TLS server answered");
            String hello = new String(clientHello.get(30, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
            assertTrue(hello.contains(HOST), "server name indication of the URL's host");
            assertEquals(List.of(HOST), lookups);
        }
    }

    @Test
    void aHostThatNowResolvesToAPrivateAddressGetsNoConnection() throws Exception {
        CallbackTargets strict = new CallbackTargets(false, host -> {
            lookups.add(host);
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });

        SendResult result = send(strict, URI.create(receiver.url("/hook").replace("127.0.0.1", HOST)), true);

        assertFalse(result.retryable(), String.valueOf(result));
        assertTrue(result.error().contains("non-public"), result.error());
        assertTrue(receiver.received(r -> true).isEmpty());
    }

    @Test
    void theSinkIsTrustedAndResolvedAsUsual() throws Exception {
        CallbackTargets strict = new CallbackTargets(false, host -> {
            lookups.add(host);
            throw new AssertionError("the sink is not checked");
        });

        assertTrue(send(strict, URI.create(receiver.url("/sink")), false).delivered());
        assertTrue(lookups.isEmpty());
    }

    @Test
    void anAnswerThatHasEndedBeforeItIsReadCompletesTheExchange() throws Exception {
        receiver.script("/throttled", EventReceiver.Reply.status(429).withHeader("Retry-After", "2"));
        HttpClient http = vertx.createHttpClient();
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(receiver.url("/throttled"));

        // a bodiless answer arrives whole: read 200 ms after its head, it has ended (Vert.x refuses handlers then)
        int status = http.request(post).compose(HttpClientRequest::send)
                .compose(response -> vertx.timer(200).map(response))
                .compose(response -> EventSender.discardBody(response).map(response.statusCode()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertEquals(429, status);
    }

    private SendResult send(CallbackTargets targets, URI target, boolean checked) throws Exception {
        try (EventSender sender = new EventSender(vertx, targets, Duration.ofSeconds(10))) {
            return sender.send(target, checked, EVENT).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
