package dev.asyncocr.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One submitted image and what became of it. Immutable: every change makes a new record, and only
 * {@link JobService} decides which change of status happens.
 *
 * @param idempotencyKey the client's {@code Idempotency-Key} (or a CloudEvent's source and id), or null
 * @param requestDigest  when it has an idempotency key, the digest of its image and every option, to tell a
 *                       retry (the same request) from a reused key
 * @param attempts       how many times a worker has started on it
 * @param result         set once it succeeded
 * @param error          set once it failed
 * @param deliveries     the completion events it owes, set when it finishes; never null
 * @param traceparent    the W3C trace context it was submitted in, continued by its completion events; or null
 * @param tenant         the tenant that submitted it (with {@code ocr.auth.enabled}), the only one that sees it; or
 *                       null when authentication was off
 * @param schedule       its deadline; never null
 * @param document       for a document, its page tasks' count and rendering (each page task has its own status and
 *                       result in the store, see {@link PageTask}); null for an image, whose result is {@code result}
 */
public record OcrJob(String id, JobStatus status, OcrOptions options, String callbackUrl, String idempotencyKey,
                     String requestDigest, Instant submittedAt, Instant startedAt, Instant finishedAt, int attempts,
                     OcrResult result, JobError error, List<Delivery> deliveries, String traceparent,
                     String tenant, Schedule schedule, DocumentSpec document) {

    public OcrJob {
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries); // null in records stored before them
        schedule = schedule == null ? Schedule.NONE : schedule; // likewise
    }

    /** An image's job. */
    public OcrJob(String id, JobStatus status, OcrOptions options, String callbackUrl, String idempotencyKey,
                  String requestDigest, Instant submittedAt, Instant startedAt, Instant finishedAt, int attempts,
                  OcrResult result, JobError error, List<Delivery> deliveries, String traceparent, String tenant,
                  Schedule schedule) {
        this(id, status, options, callbackUrl, idempotencyKey, requestDigest, submittedAt, startedAt, finishedAt,
                attempts, result, error, deliveries, traceparent, tenant, schedule, null);
    }

    static OcrJob queued(String id, OcrOptions options, String callbackUrl, String idempotencyKey, String requestDigest,
                         Instant now, String traceparent, String tenant, Schedule schedule) {
        return new OcrJob(id, JobStatus.QUEUED, options, callbackUrl, idempotencyKey, requestDigest, now, null, null, 0,
                null, null, List.of(), traceparent, tenant, schedule);
    }

    static OcrJob queuedDocument(String id, OcrOptions options, String callbackUrl, String idempotencyKey,
                                 String requestDigest, Instant now, String traceparent, String tenant,
                                 Schedule schedule, DocumentSpec document) {
        return new OcrJob(id, JobStatus.QUEUED, options, callbackUrl, idempotencyKey, requestDigest, now, null, null, 0,
                null, null, List.of(), traceparent, tenant, schedule, document);
    }

    /** Whether this job is a document's, its results in its page tasks. */
    @JsonIgnore
    public boolean isDocument() {
        return document != null;
    }

    /** A document's page tasks; 0 for an image's job. */
    @JsonIgnore
    public int pagesTotal() {
        return document == null ? 0 : document.pagesTotal();
    }

    /** What the job weighs in the queue and against its tenant's quota: one per page, an image one. */
    @JsonIgnore
    public int workUnits() {
        return Math.max(1, pagesTotal());
    }

    /** This job at {@code place} in the queue's order, once its submission has passed its checks. */
    OcrJob queuedAt(long place) {
        return new OcrJob(id, status, options, callbackUrl, idempotencyKey, requestDigest, submittedAt, startedAt,
                finishedAt, attempts, result, error, deliveries, traceparent, tenant, schedule.at(place), document);
    }

    OcrJob processing(Instant now) {
        return next(JobStatus.PROCESSING, now, null, attempts + 1, null, null, deliveries);
    }

    /** Back in the queue for another attempt after a failure that was not the input's. */
    OcrJob requeued() {
        return next(JobStatus.QUEUED, null, null, attempts, null, null, deliveries);
    }

    OcrJob succeeded(OcrResult result, Instant now) {
        return next(JobStatus.SUCCEEDED, startedAt, now, attempts, result, null, deliveries);
    }

    OcrJob failed(JobError error, Instant now) {
        return next(JobStatus.FAILED, startedAt, now, attempts, null, error, deliveries);
    }

    /** A document whose last page task turned final, with the status its pages' outcomes add up to. */
    OcrJob documentFinished(Progress progress, Instant now) {
        return next(progress.outcome(), startedAt, now, attempts, null, null, deliveries, document.finished(progress));
    }

    OcrJob cancelled(Instant now) {
        return next(JobStatus.CANCELLED, startedAt, now, attempts, null, null, deliveries);
    }

    /** Its deadline passed before a worker started it: final, never run. */
    OcrJob expired(Instant now) {
        return next(JobStatus.EXPIRED, null, now, attempts, null,
                new JobError(ErrorCode.JOB_EXPIRED, "Job " + id + " was not started by its deadline "
                        + schedule.deadline(), false), deliveries);
    }

    /** Whether its deadline passed while it waited for its first start: what makes a job expire. */
    public boolean missedDeadline(Instant now) {
        return status == JobStatus.QUEUED && attempts == 0 && schedule.missed(now);
    }

    public OcrJob withDeliveries(List<Delivery> changed) {
        return next(status, startedAt, finishedAt, attempts, result, error, changed);
    }

    /** This job with {@code changed} in place of its delivery of the same event to the same target. */
    public OcrJob withDelivery(Delivery changed) {
        List<Delivery> all = new ArrayList<>(deliveries);
        all.replaceAll(d -> d.sameAs(changed) ? changed : d);
        return withDeliveries(all);
    }

    /** Its completion event's delivery to {@code target}. */
    public Optional<Delivery> delivery(Delivery.Target target) {
        return deliveries.stream().filter(d -> d.target() == target && d.page() == null).findFirst();
    }

    /** Its delivery of the same event to the same target as {@code delivery}. */
    public Optional<Delivery> delivery(Delivery delivery) {
        return deliveries.stream().filter(d -> d.sameAs(delivery)).findFirst();
    }

    /** Whether {@code caller} (a tenant, or null with authentication off) may see this job: its own tenant only. */
    public boolean visibleTo(String caller) {
        return Objects.equals(tenant, caller);
    }

    /** When the earliest pending delivery is due: what the store indexes for the dispatchers. */
    public Optional<Instant> nextDeliveryAt() {
        return deliveries.stream().filter(d -> d.state() == Delivery.State.PENDING).map(Delivery::nextAttemptAt)
                .filter(Objects::nonNull).min(Comparator.naturalOrder());
    }

    /** This job's request (what was submitted) with a new state: the one place that copies the request. */
    private OcrJob next(JobStatus status, Instant startedAt, Instant finishedAt, int attempts, OcrResult result,
                        JobError error, List<Delivery> deliveries) {
        return next(status, startedAt, finishedAt, attempts, result, error, deliveries, document);
    }

    private OcrJob next(JobStatus status, Instant startedAt, Instant finishedAt, int attempts, OcrResult result,
                        JobError error, List<Delivery> deliveries, DocumentSpec document) {
        return new OcrJob(id, status, options, callbackUrl, idempotencyKey, requestDigest, submittedAt, startedAt,
                finishedAt, attempts, result, error, deliveries, traceparent, tenant, schedule, document);
    }
}
