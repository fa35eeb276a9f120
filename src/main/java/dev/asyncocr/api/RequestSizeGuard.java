package dev.asyncocr.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.config.DocumentConfig;
import dev.asyncocr.format.ErrorResponse;
import dev.asyncocr.job.ErrorCode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.logging.Log;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Answers a body over {@code quarkus.http.limits.max-body-size} with the JSON error instead of the
 * platform's bodiless 413.
 * <p>
 * Vert.x checks a declared {@code Content-Length} against the platform limit in a route of its own, before
 * any resource or exception mapper runs, and answers 413 with no body. This route runs just before that
 * one, with the same limit, so the platform's never fires for such a request. A client that sends its whole
 * body before reading the answer (most HTTP libraries) would see a connection reset instead of the answer
 * if the connection were closed with the body unread; so the rest of the body is read and discarded, up to
 * {@value #DRAIN_FACTOR} times the limit, and the connection stays usable. A client that announced
 * {@code Expect: 100-continue} never sends the body: it gets the answer at once and the connection closes.
 * <p>
 * Bodies without a declared length (chunked) are counted by the platform as they are read: up to its
 * limit they reach {@link OcrResource}, which checks {@code ocr.api.max-bytes}; past it the platform cuts
 * the stream with a bodiless 413 and closes the connection, as nothing can be answered mid-upload (and the
 * resource's late failure to answer is logged at DEBUG, not as an ERROR).
 * <p>
 * The platform limit must admit an image of {@code ocr.api.max-bytes} and a document of
 * {@code ocr.document.max-bytes} (plus multipart framing); start-up
 * fails when it does not, rather than leaving two inconsistent limits.
 */
@ApplicationScoped
public class RequestSizeGuard {

    /** Bodies up to this many times the limit are drained so that the client reads the answer. */
    static final long DRAIN_FACTOR = 4;

    private final long limit;
    private final Buffer answer;

    public RequestSizeGuard(ApiConfig api, DocumentConfig documents, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> platformLimit) {
        long largest = Math.max(api.maxBytes(), documents.maxBytes());
        if (platformLimit.isEmpty() || platformLimit.get().asLongValue() < largest) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size ("
                    + platformLimit.map(size -> size.asLongValue() + " bytes").orElse("unset")
                    + ") must be at least ocr.api.max-bytes and ocr.document.max-bytes (" + largest
                    + " bytes) plus room for multipart framing, e.g. 1 MiB more");
        }
        this.limit = platformLimit.get().asLongValue();
        try {
            this.answer = Buffer.buffer(json.writeValueAsBytes(ErrorResponse.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + limit + " bytes; an image may have at most "
                            + api.maxBytes() + " bytes")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check).failureHandler(this::afterCut);
    }

    /**
     * A chunked body cut at the platform limit: the platform has answered its 413 and closed, and the resource
     * reading the body then fails to answer on a response already sent. Nobody is left to tell; without this,
     * Quarkus's last-resort handler logs each such upload as an ERROR with a stack trace.
     */
    private void afterCut(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() && response.getStatusCode() == ErrorCode.PAYLOAD_TOO_LARGE.status()) {
            Log.debugf(context.failure(), "Body cut at %d bytes; the 413 has gone out", limit);
            return;
        }
        context.next();
    }

    long limit() {
        return limit;
    }

    private void check(RoutingContext context) {
        long declared = declaredLength(context.request());
        if (declared <= limit) {
            context.next();
            return;
        }
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response()
                .setStatusCode(ErrorCode.PAYLOAD_TOO_LARGE.status())
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json");
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        boolean expectsContinue = HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(
                String.valueOf(request.getHeader(HttpHeaderNames.EXPECT)));
        if (http1 && (expectsContinue || declared > DRAIN_FACTOR * limit)) {
            response.putHeader(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            response.end(answer).onComplete(done -> request.connection().close());
            return;
        }
        request.handler(discarded -> {
        });
        request.resume();
        response.end(answer);
    }

    /** The declared Content-Length, or -1 when there is none (chunked) or it is not a number. */
    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
