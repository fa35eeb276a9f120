package dev.asyncocr.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A real HTTP server on loopback that receives completion events: it records every request and answers
 * each path from a script (status, delay, headers), then 200 once the script is used up.
 */
public final class EventReceiver implements AutoCloseable {

    /** One scripted answer. */
    public record Reply(int status, Duration delay, Map<String, String> headers) {

        public static Reply status(int status) {
            return new Reply(status, Duration.ZERO, Map.of());
        }

        public static Reply slow(Duration delay) {
            return new Reply(200, delay, Map.of());
        }

        public Reply withHeader(String name, String value) {
            return new Reply(status, delay, Map.of(name, value));
        }
    }

    /**
     * A request as received.
     *
     * @param headers by lower-case name
     */
    public record Received(String path, Map<String, String> headers, byte[] body, Instant at) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        /** The request read back as a CloudEvent by the SDK. */
        public CloudEvent event() {
            return HttpMessageFactory.createReader(headers, body).toEvent();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();

    /** Listens on {@code port} of 127.0.0.1 (0: any free one). */
    public EventReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to {@code path} get these answers, in order. */
    public void script(String path, Reply... replies) {
        scripts.put(path, new ArrayDeque<>(List.of(replies)));
    }

    public List<Received> received(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    /** Waits until {@code count} requests matching {@code which} arrived, and returns them. */
    public List<Received> await(Predicate<Received> which, int count, Duration within) {
        Awaitility.await(count + " matching requests at the receiver").atMost(within)
                .pollInterval(Duration.ofMillis(20)).until(() -> received(which).size(), n -> n >= count);
        return received(which);
    }

    /** Requests about one job: its completion event has it as {@code ce-subject}. */
    public static Predicate<Received> about(String requestId) {
        return r -> requestId.equals(r.header("ce-subject"));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body, Instant.now()));
            Deque<Reply> script = scripts.get(path);
            Reply reply = script == null ? null : script.poll();
            if (reply == null) {
                reply = Reply.status(200);
            }
            if (!reply.delay().isZero()) { // a slow receiver, as scripted
                Thread.sleep(reply.delay().toMillis());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the sender gave up (timed out) while we were slow: nothing to answer
        }
    }
}
