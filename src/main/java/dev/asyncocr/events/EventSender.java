package dev.asyncocr.events;

import dev.asyncocr.job.CallbackUrlRefusedException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one event request: HTTP/1.1, redirects not followed. A callback is checked ({@link CallbackTargets})
 * and connected to the very address the check resolved: resolving again to connect would let a host answer
 * a public address to the check and a private one to the connection (DNS rebinding). The URL's host still
 * names the server, in the {@code Host} header and in TLS (SNI and the certificate check).
 */
final class EventSender implements AutoCloseable {

    private final HttpClient http;
    private final CallbackTargets targets;
    private final Duration timeout;

    EventSender(Vertx vertx, CallbackTargets targets, Duration timeout) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()));
        this.targets = targets;
        this.timeout = timeout;
    }

    /**
     * @param checked a callback, checked and pinned; false for the operator's sink, which is trusted and resolved
     *                as usual
     */
    CompletionStage<SendResult> send(URI target, boolean checked, CompletionEvents.Request request) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString())
                .setFollowRedirects(false).setTimeout(timeout.toMillis());
        if (checked) {
            try {
                InetAddress address = targets.address(target);
                options.setServer(SocketAddress.inetSocketAddress(options.getPort(), address.getHostAddress()));
            } catch (CallbackUrlRefusedException e) {
                return CompletableFuture.completedFuture(SendResult.refused(e.getMessage()));
            } catch (UnknownHostException e) {
                return CompletableFuture.completedFuture(
                        SendResult.unanswered("the callback host '" + target.getHost() + "' does not resolve"));
            }
        }
        request.headers().forEach(options::putHeader);
        return http.request(options)
                .compose(outgoing -> outgoing.send(Buffer.buffer(request.body())))
                .compose(response -> discardBody(response).map(done ->
                        SendResult.answered(response.statusCode(), retryAfter(response.getHeader("Retry-After")))))
                .toCompletionStage().toCompletableFuture()
                .orTimeout(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS) // a body that never ends
                .exceptionally(error -> SendResult.unanswered(describe(error)));
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Reads the answer to its end, keeping nothing (chunks without a handler are dropped), so that the exchange
     * completes. A short answer may have ended before this runs: Vert.x then refuses new handlers with an
     * {@code IllegalStateException} (eclipse-vertx/vert.x#5614), and {@code end()} may even miss the end and never
     * complete; a handler set under the connection's lock either sees the end come or throws.
     */
    static Future<Void> discardBody(HttpClientResponse response) {
        Promise<Void> ended = Promise.promise();
        try {
            response.exceptionHandler(ended::tryFail).endHandler(ended::tryComplete);
        } catch (IllegalStateException alreadyEnded) {
            return Future.succeededFuture();
        }
        return ended.future();
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) { // ours, or Vert.x's when no data came within the request's timeout
            return "no answer within " + timeout + " (timed out)";
        }
        if (cause instanceof ConnectException) {
            return "could not connect: " + cause.getMessage();
        }
        // in the receiver's terms: the delivery's last error is shown to the client, a class name means nothing there
        return cause.getMessage() == null ? "the exchange failed" : "the exchange failed: " + cause.getMessage();
    }
}
