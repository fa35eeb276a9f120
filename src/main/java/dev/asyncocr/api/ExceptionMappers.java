package dev.asyncocr.api;

import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.job.CallbackUrlRefusedException;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.IdempotencyKeyReusedException;
import dev.asyncocr.job.DeadlineUnreachableException;
import dev.asyncocr.job.QueueUnavailableException;
import dev.asyncocr.job.StoreUnavailableException;
import dev.asyncocr.job.TenantQuotaExceededException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.handlers.FormBodyHandler;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every exception a request can end in, answered as a JSON error with its code: the one place where
 * exceptions become HTTP answers. The most specific mapper wins, so {@link #unexpected} sees only what no
 * other claims.
 */
public class ExceptionMappers {

    /** Seconds a client should wait after a 503: long enough for the autoscaler or a reconnect to act. */
    static final int RETRY_AFTER_SECONDS = 5;
    /** The framework's fixed limit on parts in a multipart body. */
    private static final int MAX_FORM_PARTS = 1000;

    /** Requests the API itself refuses (missing image, bad parameter, malformed event). */
    @ServerExceptionMapper
    public Response refused(ApiException e) {
        return ErrorAnswer.of(e.code(), e.getMessage());
    }

    /** Uploads the intake cannot or will not read. */
    @ServerExceptionMapper
    public Response imageRejected(ImageRejectedException e) {
        return ErrorAnswer.of(ErrorCode.of(e.reason()), e.getMessage());
    }

    /** A callback URL the service will not send to: refused at submission, not dropped later. */
    @ServerExceptionMapper
    public Response callbackRefused(CallbackUrlRefusedException e) {
        return ErrorAnswer.of(ErrorCode.INVALID_CALLBACK_URL, e.getMessage());
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return ErrorAnswer.builder(ErrorCode.IDEMPOTENCY_KEY_REUSED, e.getMessage(), e.requestId()).build();
    }

    /** A full queue or an unreachable broker: 503, and when to try again (a full queue's, from the service rate). */
    @ServerExceptionMapper
    public Response queueUnavailable(QueueUnavailableException e) {
        return retryLater(e.full() ? ErrorCode.QUEUE_FULL : ErrorCode.BROKER_UNAVAILABLE, e.getMessage(),
                e.retryAfterSeconds().orElse(RETRY_AFTER_SECONDS));
    }

    /** The tenant's quota is full: 429, and when its work ahead should have made room. */
    @ServerExceptionMapper
    public Response tenantQuota(TenantQuotaExceededException e) {
        return retryLater(ErrorCode.TENANT_QUOTA, e.getMessage(), e.retryAfterSeconds().orElse(RETRY_AFTER_SECONDS));
    }

    /** deadline_policy=reject, and the queue would start the job too late. */
    @ServerExceptionMapper
    public Response deadlineUnreachable(DeadlineUnreachableException e) {
        return ErrorAnswer.of(ErrorCode.DEADLINE_UNREACHABLE, e.getMessage());
    }

    /** The job store is unreachable: 503, and when to try again, as for a broker that is down. */
    @ServerExceptionMapper
    public Response storeUnavailable(StoreUnavailableException e) {
        return retryLater(ErrorCode.STORE_UNAVAILABLE, e.getMessage(), RETRY_AFTER_SECONDS);
    }

    /**
     * A request body that could not be read to its end: a multipart body without its closing boundary, or a
     * connection lost mid-upload. The framework reports both as an {@link IOException} before any resource
     * runs (our own code wraps its I/O failures), so the request, not the service, is at fault.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e) {
        Log.debugf(e, "Request body unreadable");
        return ErrorAnswer.of(ErrorCode.INVALID_REQUEST, "The request body is incomplete or malformed: a"
                + " multipart body must end with its closing boundary, and every body must be as long as its"
                + " Content-Length");
    }

    /**
     * HTTP errors raised by the framework before or around a resource method: no method for this
     * Content-Type (415), Accept (406) or HTTP method (405), and a multipart body over
     * {@code quarkus.http.limits.max-body-size} or a form field over {@code max-form-attribute-size} (413).
     * An exception that already carries an entity, or a status without a code of its own, is answered as it
     * is; the original headers (Allow, Retry-After, ...) are kept.
     */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        if (status >= 500) {
            Log.errorf(e, "HTTP %d raised while serving a request", status);
        }
        Optional<ErrorCode> code = forFrameworkStatus(status);
        if (code.isEmpty()) {
            return original;
        }
        Response.ResponseBuilder answer = ErrorAnswer.builder(code.get(), frameworkMessage(code.get(), status), null);
        for (Map.Entry<String, List<Object>> header : original.getHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Content-Type")) {
                header.getValue().forEach(value -> answer.header(header.getKey(), value));
            }
        }
        return answer.build();
    }

    /**
     * Anything no other mapper claims: the service is at fault, unless the framework threw it while parsing a
     * form body, before any resource ran (a part header without a colon, more parts than its limit: its parser
     * throws untyped exceptions for both). The stack
     * trace goes to the log under a reference that the answer quotes; the answer reveals nothing of the internals.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (parsingFormBody(e)) {
            Log.debugf(e, "Multipart body malformed");
            return ErrorAnswer.of(ErrorCode.INVALID_REQUEST, "The multipart body is malformed: each part needs"
                    + " header lines of the form 'Name: value', and a request may have at most "
                    + MAX_FORM_PARTS + " parts");
        }
        String reference = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error, reference %s", reference);
        return ErrorAnswer.of(ErrorCode.INTERNAL_ERROR,
                "An unexpected error occurred; it was logged with reference " + reference);
    }

    private static boolean parsingFormBody(Throwable e) {
        return Arrays.stream(e.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(FormBodyHandler.class.getName()));
    }

    private static Response retryLater(ErrorCode code, String message, long retryAfterSeconds) {
        return ErrorAnswer.builder(code, message, null).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }

    /** The code for an HTTP status raised by the framework itself, or empty for one with no code of its own. */
    private static Optional<ErrorCode> forFrameworkStatus(int status) {
        return Optional.ofNullable(switch (status) {
            case 400 -> ErrorCode.INVALID_REQUEST;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 500 -> ErrorCode.INTERNAL_ERROR;
            default -> null;
        });
    }

    private static String frameworkMessage(ErrorCode code, int status) {
        return switch (code) {
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported Content-Type: send multipart/form-data with an 'image' part,"
                    + " or the image itself as the body with Content-Type image/* or application/octet-stream";
            case PAYLOAD_TOO_LARGE -> "The request body, or one of its form fields, is larger than the server accepts";
            case NOT_ACCEPTABLE -> "This resource answers with application/json only";
            case METHOD_NOT_ALLOWED -> "This HTTP method is not allowed on this path";
            case NOT_FOUND -> "No resource at this path";
            case INTERNAL_ERROR -> "Internal error";
            default -> "The request was rejected (HTTP " + status + ")";
        };
    }
}
