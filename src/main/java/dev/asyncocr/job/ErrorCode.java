package dev.asyncocr.job;

import dev.asyncocr.image.ImageRejectedException;

/**
 * Every error code the service answers with (at once or in a failed job's record), and its HTTP status: the
 * one place that maps failures to codes and codes to statuses. The codes are part of the wire contract
 * ({@code {"error":{"code":...}}}); add, never rename.
 */
public enum ErrorCode {
    /** A query parameter or form field has a value we do not accept. */
    INVALID_PARAMETER(400),
    /** No image: a multipart request without an {@code image} part, or an empty body. */
    IMAGE_MISSING(400),
    /** The bytes are not an image, or a corrupt one. */
    IMAGE_UNDECODABLE(400),
    /** A PDF or multi-page TIFF that cannot be read: not what its type says, truncated, unparseable, no pages. */
    DOCUMENT_UNREADABLE(400),
    /** A PDF that needs a password to open: send it as the {@code password} form field. */
    DOCUMENT_ENCRYPTED(400),
    /** A callback URL we do not send to: not an absolute http(s) URL, or a host in a private network. */
    INVALID_CALLBACK_URL(400),
    /** A request to {@code POST /} that is not a valid CloudEvent. */
    EVENT_MALFORMED(400),
    /** A CloudEvent of a type other than {@code dev.asyncocr.ocr.requested}. */
    EVENT_TYPE_UNSUPPORTED(400),
    /** A malformed request that the HTTP layer rejected before it reached a resource. */
    INVALID_REQUEST(400),
    /**
     * Authentication is on ({@code ocr.auth.enabled}) and the request has no valid {@code Authorization: Bearer}
     * credential: none, an unknown API key, or a token that is expired, badly signed or for another issuer.
     */
    UNAUTHENTICATED(401),
    /** No resource at this path. */
    NOT_FOUND(404),
    /** No job with this id: never submitted, or expired after {@code ocr.store.result-ttl}. */
    JOB_NOT_FOUND(404),
    /** The job has no such page: not in its document's selection, or it is an image's job. */
    PAGE_NOT_FOUND(404),
    /** The path exists but not for this method. */
    METHOD_NOT_ALLOWED(405),
    /** The client accepts no representation we can produce. */
    NOT_ACCEPTABLE(406),
    /** The job finished before the cancellation came. */
    JOB_FINISHED(409),
    /** The job was cancelled; it has no result. */
    JOB_CANCELLED(410),
    /**
     * A document page's image is no longer kept: its job failed or was cancelled (its parts go at once), or the
     * parts were removed.
     */
    PAGE_IMAGE_GONE(410),
    /** The job's deadline passed before a worker started it; it has no result. */
    JOB_EXPIRED(410),
    /** {@code deadline_policy=reject}: the queue's estimated start comes after the deadline asked for. */
    DEADLINE_UNREACHABLE(409),
    /** The request body is larger than the configured limit. */
    PAYLOAD_TOO_LARGE(413),
    /** The image has more pixels than the configured limit. */
    IMAGE_TOO_LARGE(413),
    /** A document with more pages to read than {@code ocr.document.max-pages}; the message states the limit. */
    TOO_MANY_PAGES(413),
    /** A Content-Type we do not accept, or an image format we do not read. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** An {@code Idempotency-Key} sent again with a different image. */
    IDEMPOTENCY_KEY_REUSED(422),
    /**
     * The tenant has {@code ocr.tenant.max-queued} pages queued or running (its quota); retry after
     * {@code Retry-After}.
     */
    TENANT_QUOTA(429),
    /** Anything unexpected: the service, not the request, is at fault. */
    INTERNAL_ERROR(500),
    /** The queue holds {@code ocr.queue.max-depth} jobs; retry after {@code Retry-After}. */
    QUEUE_FULL(503),
    /** The broker did not take the job in time; retry after {@code Retry-After}. */
    BROKER_UNAVAILABLE(503),
    /**
     * The job store is unreachable (Redis) or cannot write (a full disk): nothing was kept or read; retry
     * after {@code Retry-After}.
     */
    STORE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code that reports an upload the intake refused. */
    public static ErrorCode of(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case UNDECODABLE -> IMAGE_UNDECODABLE;
            case UNSUPPORTED_FORMAT -> UNSUPPORTED_MEDIA_TYPE;
            case TOO_LARGE -> IMAGE_TOO_LARGE;
            case DOCUMENT_UNREADABLE -> DOCUMENT_UNREADABLE;
            case DOCUMENT_ENCRYPTED -> DOCUMENT_ENCRYPTED;
            case TOO_MANY_PAGES -> TOO_MANY_PAGES;
        };
    }
}
