package dev.asyncocr.job;

import java.util.OptionalLong;

/**
 * A tenant's queued and running work would exceed its quota ({@code ocr.tenant.max-queued}); nothing was kept.
 * Worth retrying once some of its work is done.
 */
public class TenantQuotaExceededException extends RuntimeException {

    private final long limit;
    private final long active;
    private final OptionalLong retryAfterSeconds;

    /** @param active the tenant's work already queued or running, in pages (an image is one) */
    public TenantQuotaExceededException(long limit, long active) {
        this(limit, active, OptionalLong.empty());
    }

    private TenantQuotaExceededException(long limit, long active, OptionalLong retryAfterSeconds) {
        super("The tenant has " + active + " pages queued or running; its quota is " + limit
                + ": retry once some are done");
        this.limit = limit;
        this.active = active;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** This refusal with when to retry, estimated from the service rate. */
    TenantQuotaExceededException retryAfter(long seconds) {
        return new TenantQuotaExceededException(limit, active, OptionalLong.of(seconds));
    }

    public long limit() {
        return limit;
    }

    public long active() {
        return active;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
