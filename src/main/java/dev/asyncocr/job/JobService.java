package dev.asyncocr.job;

import dev.asyncocr.Sha256;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.image.PageRenderer;
import dev.asyncocr.image.RenderedPage;
import dev.asyncocr.image.TextLayer;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;
import io.quarkus.logging.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The job lifecycle, and the only code that changes a job's status. Every change is a
 * {@link JobStore#transition compare-and-set} on the status, so racing changes (a cancel against a
 * finishing worker, two deliveries of one message) resolve to exactly one winner on any replica.
 */
public class JobService {

    /** A worker may start a job that is queued, or processing when a worker died and the broker redelivered. */
    private static final Set<JobStatus> STARTABLE = EnumSet.of(JobStatus.QUEUED, JobStatus.PROCESSING);
    private static final Set<JobStatus> RUNNING = EnumSet.of(JobStatus.PROCESSING);

    /** What the queue consumer does with the message once {@link #process} returns. */
    public enum Outcome {
        /** The outcome is stored (or there was nothing to do): acknowledge. */
        DONE,
        /** A failure that another attempt may not have: have the broker deliver it again. */
        RETRY,
        /** The last attempt failed and the job is failed: park the message on the dead-letter queue. */
        DEAD_LETTER
    }

    /** The inference a worker runs for a job. */
    @FunctionalInterface
    public interface Recognizer {
        OcrResult recognize(byte[] image, OcrOptions options);
    }

    private final JobStore store;
    private final JobQueue queue;
    private final JobNotifier notifier;
    private final long maxQueueDepth;
    private final int maxAttempts;
    private final Clock clock;
    private final JobMetrics metrics;
    private final JobFinishedListener listener;
    private final TenantQuotas quotas;
    private final FairShare fairShare;
    /** The service rate assumed until the store has measured one. */
    private volatile ServiceRate assumedRate;
    private final PageRenderer renderer;

    /** @param serviceTimePrior how long a job is assumed to take until the first ones are measured */
    public JobService(JobStore store, JobQueue queue, JobNotifier notifier, JobMetrics metrics,
                      JobFinishedListener listener, PageRenderer renderer, long maxQueueDepth, TenantQuotas quotas,
                      FairShare fairShare, int maxAttempts, Duration serviceTimePrior, Clock clock) {
        this.assumedRate = ServiceRate.assumed(serviceTimePrior);
        this.store = store;
        this.renderer = renderer;
        this.metrics = metrics;
        this.queue = queue;
        this.notifier = notifier;
        this.listener = listener;
        this.maxQueueDepth = maxQueueDepth;
        this.quotas = quotas;
        this.fairShare = fairShare;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
    }

    /**
     * Stores the job with its image and queues it. With an idempotency key already held by a job for the same
     * request (the image and every option), returns that job, queueing it again when its submission stopped
     * between storing and queueing it.
     *
     * @param traceparent the W3C trace context the job continues (its message and completion events), or null
     * @param tenant      the tenant submitting it, or null with authentication off; its idempotency keys are its own
     *
     * @throws CallbackUrlRefusedException   the notifier would not deliver to the callback URL
     * @throws QueueUnavailableException     the queue is full or the broker did not take the message
     * @throws IdempotencyKeyReusedException the key was used for a different request
     * @throws TenantQuotaExceededException  the tenant's quota has no room for it; nothing is kept
     */
    public OcrJob submit(byte[] image, OcrOptions options, String callbackUrl, String idempotencyKey,
            String traceparent, String tenant) {
        return submit(image, options, callbackUrl, idempotencyKey, traceparent, tenant, Schedule.NONE,
                DeadlinePolicy.EXPIRE);
    }

    /**
     * {@link #submit(byte[], OcrOptions, String, String, String, String)} with a deadline: a job that no worker
     * starts by then expires without running, or, with {@link DeadlinePolicy#REJECT}, is refused at once when its
     * estimated start is later.
     *
     * @throws DeadlineUnreachableException refused by its policy; nothing is kept
     */
    public OcrJob submit(byte[] image, OcrOptions options, String callbackUrl, String idempotencyKey,
            String traceparent, String tenant, Schedule schedule, DeadlinePolicy policy) {
        String digest = idempotencyKey == null ? null : requestDigest(image, request(options, schedule), callbackUrl);
        return submit(id -> OcrJob.queued(id, options, callbackUrl, scoped(idempotencyKey, tenant), digest,
                clock.instant(), traceparent, tenant, schedule.in(fairShare.shareOf(tenant))),
                (job, quota) -> store.create(job, image, quota),
                idempotencyKey, digest, policy);
    }

    /**
     * {@link #submit} for a document cut into {@code parts}, one page task each, rendered at {@code dpi} (or read
     * from their own text layer, as {@code textLayer} lets). One message per page goes on the queue, so that any
     * worker of any replica takes any page. Should the broker refuse a message midway, the job is deleted
     * (compensation) and the submission fails: the pages already queued find no job and are acknowledged without
     * work, so the client never sees a half-queued job. A single "expand" message was the other way; it would
     * have had a worker repeat the intake's split.
     *
     * @param document   the whole document, for the idempotency digest only: it is not stored
     * @param pageEvents whether each page that turns final sends its own event (to the job's event targets)
     */
    public OcrJob submitDocument(byte[] document, List<PagePart> parts, int dpi, boolean pageEvents,
            TextLayer textLayer, OcrOptions options, String callbackUrl, String idempotencyKey, String traceparent,
            String tenant, Schedule schedule, DeadlinePolicy policy) {
        // page events are named only when asked for, so that the digests of earlier submissions stay as they were
        String digest = idempotencyKey == null ? null : requestDigest(document, request(options, schedule) + " dpi="
                + dpi + " text_layer=" + textLayer.wireName() + " pages=" + parts.stream().map(PagePart::page).toList()
                + (pageEvents ? " page_events" : ""), callbackUrl);
        return submit(id -> OcrJob.queuedDocument(id, options, callbackUrl, scoped(idempotencyKey, tenant), digest,
                clock.instant(), traceparent, tenant, schedule.in(fairShare.shareOf(tenant)),
                DocumentSpec.of(parts.size(), dpi, pageEvents, textLayer)),
                (job, quota) -> store.createDocument(job, parts, quota), idempotencyKey, digest, policy);
    }

    /**
     * @param queued the job as asked for, not yet placed in the queue's order
     * @param create stores the job within its tenant's quota
     */
    private OcrJob submit(Function<String, OcrJob> queued, BiFunction<OcrJob, OptionalLong, OcrJob> create,
            String idempotencyKey, String digest, DeadlinePolicy policy) {
        OcrJob job = queued.apply(UUID.randomUUID().toString());
        if (job.callbackUrl() != null) {
            notifier.checkCallbackUrl(job.callbackUrl());
        }
        if (job.idempotencyKey() != null) {
            Optional<OcrJob> earlier = store.idempotentJobId(job.idempotencyKey()).flatMap(store::get);
            if (earlier.isPresent()) {
                return retried(earlier.get(), idempotencyKey, digest);
            }
        }
        long depth = store.queuedCount();
        if (depth >= maxQueueDepth) {
            // a place frees up as each job ahead of the limit starts
            Duration room = rate().interval().multipliedBy(depth - maxQueueDepth + 1);
            throw new QueueUnavailableException("The queue holds " + depth + " jobs, its limit", true, null,
                    OptionalLong.of(QueueStanding.retryAfter(room)));
        }
        // its place is reserved only now, so that a replay or a full queue costs none; a document takes one per page
        job = job.queuedAt(store.reserve(job.workUnits()));
        Schedule schedule = job.schedule();
        OcrJob holder;
        try {
            holder = create.apply(job, quotas.of(job.tenant()));
        } catch (TenantQuotaExceededException e) {
            // room comes as the tenant's work ahead of the bound is done, one unit per interval at most
            long over = e.active() + job.workUnits() - e.limit();
            throw e.retryAfter(QueueStanding.retryAfter(rate().interval().multipliedBy(Math.max(1, over))));
        }
        if (!holder.id().equals(job.id())) {
            return sameRequest(holder, idempotencyKey, digest); // lost a race for the key: the winner is queueing it
        }
        try {
            if (policy == DeadlinePolicy.REJECT && schedule.deadline() != null) {
                QueueStanding standing = standing(job).orElseThrow();
                if (standing.estimatedStart().isAfter(schedule.deadline())) {
                    store.delete(job.id());
                    throw new DeadlineUnreachableException(schedule.deadline(), standing);
                }
            }
            enqueue(job);
        } catch (QueueUnavailableException e) {
            store.delete(job.id());
            throw e;
        }
        metrics.submitted(job);
        return job;
    }

    /**
     * A submission again with the key of a live job: that job. While it is still queued its message goes
     * again, as the first submission may have been cut off (a crash) between storing the job and queueing
     * it; a second message for a job is harmless, as a finished job's is acknowledged without running.
     */
    private OcrJob retried(OcrJob earlier, String idempotencyKey, String digest) {
        sameRequest(earlier, idempotencyKey, digest);
        if (earlier.status() == JobStatus.QUEUED) {
            enqueue(earlier);
        }
        return earlier;
    }

    /** Queues an image's job, or each page of a document's still queued, in the job's lane and tenant's queues. */
    private void enqueue(OcrJob job) {
        if (!job.isDocument()) {
            enqueue(job, new JobMessage(job.id(), 1, job.options()));
            return;
        }
        for (PageTask page : store.pages(job.id()).map(JobStore.Pages::pages).orElse(List.of())) {
            if (page.status() == JobStatus.QUEUED) {
                enqueue(job, JobMessage.page(job.id(), job.options(), page.page()));
            }
        }
    }

    private void enqueue(OcrJob job, JobMessage message) {
        try (RequestIdLogging logging = RequestIdLogging.of(job.id())) {
            queue.enqueue(message, job.schedule().lane(), job.schedule().share());
            Log.debugf("Job %s queued", job.id());
        } catch (RuntimeException e) {
            throw e instanceof QueueUnavailableException q ? q
                    : new QueueUnavailableException("The broker did not take the job: " + e.getMessage(), false, e);
        }
    }

    /**
     * Where a queued or running job stands and when it should start and finish; empty for a final job. One
     * store round trip.
     */
    public Optional<QueueStanding> standing(OcrJob job) {
        if (job.status().isFinal()) {
            return Optional.empty();
        }
        JobStore.Standing standing = store.standing(job);
        ServiceRate rate = standing.rate() == null ? assumedRate : standing.rate();
        Instant now = clock.instant();
        return Optional.of(job.status() == JobStatus.QUEUED && standing.position() > 0
                ? QueueStanding.queued(standing.position(), standing.tasks(), rate, now)
                : QueueStanding.running(job.startedAt() == null ? now : job.startedAt(), standing.position(),
                        standing.tasks(), rate, now));
    }

    /**
     * A page of {@code caller}'s jobs (null: those submitted with authentication off), newest first, after
     * {@code after} (null: from the newest), in {@code status} only (null: any).
     */
    public Listing list(String caller, JobStatus status, JobCursor after, int limit) {
        List<OcrJob> found = store.list(caller, status, after, limit + 1);
        List<OcrJob> page = found.subList(0, Math.min(limit, found.size()));
        return new Listing(page, found.size() > limit ? JobCursor.of(page.get(page.size() - 1)) : null);
    }

    /**
     * A page of a listing.
     *
     * @param next where the next page starts; null on the last page
     */
    public record Listing(List<OcrJob> jobs, JobCursor next) {
    }

    /** The job's image, kept until its result expires (a searchable PDF draws it). */
    public Optional<byte[]> image(String id) {
        return store.image(id);
    }

    /**
     * A document page's part, kept with the result of a job that succeeded in part or whole (a searchable PDF
     * draws it).
     */
    public Optional<byte[]> part(String id, int page) {
        return store.part(id, page);
    }

    /**
     * A document page as its worker saw it, as a PNG ({@link PageRenderer#png}), drawn from its part; empty once
     * the part is gone.
     *
     * @throws ImageRejectedException the part cannot be read or rendered
     */
    public Optional<byte[]> pageImage(OcrJob job, int page) {
        return store.part(job.id(), page).map(part -> renderer.png(part, job.document().dpi()));
    }

    /** A document job's progress; empty for an image's job. */
    public Optional<Progress> progress(String id) {
        return store.progress(id);
    }

    /** A document job's pages in page order, with their progress. */
    public Optional<JobStore.Pages> pages(String id) {
        return store.pages(id);
    }

    /** One page of a document job; empty for a page it does not have. */
    public Optional<PageTask> page(String id, int page) {
        return store.page(id, page);
    }

    /**
     * How long the warm-up inference took at start-up: this replica's service time until jobs are measured, in
     * place of the configured prior (a replica that runs no models keeps the prior).
     */
    public void warmedUp(Duration took) {
        assumedRate = ServiceRate.assumed(took);
    }

    private ServiceRate rate() {
        ServiceRate measured = store.serviceRate();
        return measured == null ? assumedRate : measured;
    }

    /**
     * The job as it stands, if {@code caller} may see it (another tenant's job is as unknown as one never
     * submitted); one whose deadline passed while it waited expires now, rather than when a worker comes.
     */
    public Optional<OcrJob> find(String id, String caller) {
        return store.get(id).filter(job -> job.visibleTo(caller))
                .flatMap(job -> job.missedDeadline(clock.instant()) ? expire(id) : Optional.of(job));
    }

    private Optional<OcrJob> expire(String id) {
        Instant now = clock.instant();
        JobStore.Transition t = store.transition(id, job -> job.missedDeadline(now), job -> owing(job.expired(now)));
        if (t.applied()) {
            finished(t.job());
        }
        return Optional.ofNullable(t.job());
    }

    /**
     * Cancels a job of {@code caller}'s that has not finished; a worker still running it finds the job cancelled
     * and discards its result. Another tenant's job is {@link JobStore.Transition#MISSING}, left as it is.
     */
    public JobStore.Transition cancel(String id, String caller) {
        JobStore.Transition t = store.transition(id, job -> job.visibleTo(caller) && STARTABLE.contains(job.status()),
                job -> job.cancelled(clock.instant()));
        if (t.job() != null && !t.job().visibleTo(caller)) {
            return JobStore.Transition.MISSING;
        }
        if (t.applied()) {
            listener.finished(t.job());
            metrics.completed(t.job());
        }
        return t;
    }

    /**
     * Removes a job of {@code caller}'s with all it keeps (image, pages, parts, results, pending events) at once, so
     * that every read answers as for a job never submitted. A job not yet final is cancelled first: a purge is asked
     * for so that nothing of the job remains, which a refusal would only delay; a worker still running it finds the
     * job gone and stores nothing.
     *
     * @return whether there was such a job (unknown, expired and another tenant's are not)
     */
    public boolean purge(String id, String caller) {
        if (cancel(id, caller).job() == null) {
            return false;
        }
        return store.purge(id, job -> job.visibleTo(caller) && job.status().isFinal()).applied();
    }

    /**
     * Runs one delivery of a job's message: starts the job unless it is final already (a redelivery of a
     * finished or cancelled job does nothing), runs the recognizer and stores the outcome.
     */
    public Outcome process(JobMessage message, Recognizer recognizer) {
        try (RequestIdLogging logging = RequestIdLogging.of(message.requestId())) {
            return run(message, recognizer);
        }
    }

    private Outcome run(JobMessage message, Recognizer recognizer) {
        if (message.page() != null) {
            return runPage(message.requestId(), message.page(), recognizer);
        }
        String id = message.requestId();
        Instant now = clock.instant();
        JobStore.Start start = store.start(id, STARTABLE, job -> job.missedDeadline(now) ? owing(job.expired(now))
                : job.attempts() < maxAttempts ? job.processing(now)
                : owing(job.failed(gaveUp(job.attempts(), "each attempt ended without an outcome (the worker stopped)"),
                        now)));
        if (!start.transition().applied()) {
            return Outcome.DONE; // unknown, expired, finished or cancelled
        }
        OcrJob job = start.transition().job();
        if (job.status() == JobStatus.EXPIRED) {
            finished(job);
            return Outcome.DONE; // nobody waits for it any more: no inference spent
        }
        if (job.status() == JobStatus.FAILED) {
            finished(job);
            return Outcome.DEAD_LETTER; // a job that keeps killing its worker must not go round for ever
        }
        Optional<byte[]> image = start.image();
        if (image.isEmpty()) {
            finish(id, j -> j.failed(new JobError(ErrorCode.INTERNAL_ERROR, "The image expired before it was processed",
                    false), clock.instant()));
            return Outcome.DONE;
        }
        OcrResult result;
        try {
            result = recognizer.recognize(image.get(), job.options());
        } catch (ImageRejectedException e) {
            finish(id, j -> j.failed(new JobError(ErrorCode.of(e.reason()), e.getMessage(), true), clock.instant()));
            return Outcome.DONE;
        } catch (RuntimeException e) {
            if (job.attempts() < maxAttempts) {
                Log.warnf(e, "Job %s failed on attempt %d of %d; it will be retried", id, job.attempts(), maxAttempts);
                store.transition(id, RUNNING, OcrJob::requeued);
                return Outcome.RETRY;
            }
            Log.errorf(e, "Job %s failed on its last attempt (%d)", id, job.attempts());
            finish(id, j -> j.failed(gaveUp(job.attempts(), "last error: " + e), clock.instant()));
            return Outcome.DEAD_LETTER;
        }
        finish(id, j -> j.succeeded(result, clock.instant()));
        return Outcome.DONE;
    }

    /**
     * Runs one page of a document job, as {@link #run} runs an image's job: the page starts unless it is final
     * or its job is (a cancelled document's pages not started never run), its part is read (its own text layer
     * taken, or the page rendered and recognised), its outcome stored. The job turns final with its last page.
     */
    private Outcome runPage(String id, int number, Recognizer recognizer) {
        JobStore.PageTransition start = store.transitionPage(id, number, (job, page) -> !job.status().isFinal(),
                page -> page.attempts() < maxAttempts ? page.processing(clock.instant())
                        : page.failed(gaveUp(page.attempts(), "each attempt ended without an outcome (the worker "
                        + "stopped)"), clock.instant()));
        if (!start.applied()) {
            if (start.page() != null && start.page().status().isFinal()) {
                owePageEvent(start); // the page's worker may have stopped before recording it
            }
            if (start.progress() != null && start.progress().done()) {
                finishDocument(id, start.progress()); // the last page's worker may have stopped before the job's end
            }
            return Outcome.DONE; // unknown, expired, cancelled, or a page already final
        }
        PageTask page = start.page();
        if (page.status() == JobStatus.FAILED) {
            afterPage(start);
            return Outcome.DEAD_LETTER; // a page that keeps killing its worker must not go round for ever
        }
        store.transition(id, EnumSet.of(JobStatus.QUEUED), job -> job.processing(clock.instant())); // its first page
        Optional<byte[]> part = store.part(id, number);
        if (part.isEmpty()) {
            finishPage(id, number, p -> p.failed(new JobError(ErrorCode.INTERNAL_ERROR,
                    "The page expired before it was processed", false), clock.instant()));
            return Outcome.DONE;
        }
        DocumentSpec document = start.job().document();
        int dpi = document.dpi();
        RenderedPage rendered;
        OcrResult result;
        try {
            long renderStart = System.nanoTime();
            rendered = renderer.render(part.get(), dpi, document.textLayer());
            double renderMs = (System.nanoTime() - renderStart) / 1e6;
            // a page read from its own text layer ran no stage: reading it is its whole time
            result = rendered.text() != null ? OcrResult.of(rendered.text(), renderMs)
                    : recognizer.recognize(rendered.image(), start.job().options()).withTiming(OcrResult.RENDER,
                            renderMs);
        } catch (ImageRejectedException e) {
            finishPage(id, number, p -> p.failed(new JobError(ErrorCode.of(e.reason()), e.getMessage(), true),
                    clock.instant()));
            return Outcome.DONE;
        } catch (RuntimeException e) {
            if (page.attempts() < maxAttempts) {
                Log.warnf(e, "Page %d of job %s failed on attempt %d of %d; it will be retried", number, id,
                        page.attempts(), maxAttempts);
                store.transitionPage(id, number, (j, p) -> p.status() == JobStatus.PROCESSING, PageTask::requeued);
                return Outcome.RETRY;
            }
            Log.errorf(e, "Page %d of job %s failed on its last attempt (%d)", number, id, page.attempts());
            finishPage(id, number, p -> p.failed(gaveUp(page.attempts(), "last error: " + e), clock.instant()));
            return Outcome.DEAD_LETTER;
        }
        String notice = rendered.dpi() != null && rendered.dpi() < dpi ? "Rendered at " + rendered.dpi()
                + " DPI instead of " + dpi + ": at " + dpi + " DPI the page would exceed the pixel limit" : null;
        PageTask.TextSource source = rendered.text() != null ? PageTask.TextSource.PDF : PageTask.TextSource.OCR;
        finishPage(id, number, p -> p.succeeded(result, rendered.dpi(), notice, source, clock.instant()));
        return Outcome.DONE;
    }

    /** Moves a running page to a final state, unless another delivery finished it first. */
    private void finishPage(String id, int number, UnaryOperator<PageTask> change) {
        afterPage(store.transitionPage(id, number, (job, page) -> page.status() == JobStatus.PROCESSING, change));
    }

    private void afterPage(JobStore.PageTransition transition) {
        if (transition.applied() && transition.page().status().isFinal()) {
            metrics.pageCompleted(transition.page());
            if (transition.page().startedAt() != null) { // one that gave up before it started ran nothing
                measure(transition.job().id(), transition.page().startedAt(), transition.page().finishedAt());
            }
            owePageEvent(transition);
        }
        if (transition.lastPage()) {
            finishDocument(transition.job().id(), transition.progress());
        }
    }

    /**
     * Records the event of a page that turned final, when its document asked for page events: once, however many
     * deliveries of its message get here (a redelivery finds it recorded). A cancelled document sends none.
     */
    private void owePageEvent(JobStore.PageTransition transition) {
        OcrJob job = transition.job();
        PageTask page = transition.page();
        if (!job.document().pageEvents() || job.status() == JobStatus.CANCELLED) {
            return;
        }
        List<Delivery> owed = notifier.deliveriesFor(job, new Delivery.PageEvent(page.page(), page.status(),
                page.finishedAt(), transition.progress()));
        if (owed.isEmpty()) {
            return;
        }
        JobStore.Transition t = store.transition(job.id(), j -> j.status() != JobStatus.CANCELLED
                        && j.deliveries().stream().noneMatch(d -> d.isForPage(page.page())),
                j -> j.withDeliveries(Stream.concat(j.deliveries().stream(), owed.stream()).toList()));
        if (t.applied()) {
            notifier.finished(t.job());
        }
    }

    /**
     * Ends a document job whose pages are all final, with the status they add up to: exactly once, however
     * many deliveries (the last page's, a redelivery after its worker stopped) get here.
     */
    private void finishDocument(String id, Progress progress) {
        JobStore.Transition t = store.transition(id, job -> !job.status().isFinal(),
                job -> owing(job.documentFinished(progress, clock.instant())));
        if (t.applied()) {
            finished(t.job());
        }
    }

    /**
     * Moves a running job to a final state with the deliveries it owes, unless it was cancelled meanwhile
     * (the store drops its image either way).
     */
    private void finish(String id, UnaryOperator<OcrJob> change) {
        JobStore.Transition t = store.transition(id, RUNNING, job -> owing(change.apply(job)));
        if (t.applied()) {
            finished(t.job());
            measure(t.job().id(), t.job().startedAt(), t.job().finishedAt());
        }
    }

    /**
     * Counts a task that ran (an image's job, a document's page) into the service rate; a failure to do so costs an
     * estimate a little accuracy, no more.
     */
    private void measure(String id, Instant startedAt, Instant finishedAt) {
        try {
            store.recordCompletion(finishedAt, Duration.between(startedAt, finishedAt));
        } catch (RuntimeException e) {
            Log.warnf("The service rate misses a task of job %s: %s", id, e.getMessage());
        }
    }

    /** A job turning final, owing its completion events beside any page events it owes still. */
    private OcrJob owing(OcrJob finished) {
        return finished.withDeliveries(Stream.concat(finished.deliveries().stream(),
                notifier.deliveriesFor(finished).stream()).toList());
    }

    private void finished(OcrJob job) {
        listener.finished(job);
        metrics.completed(job);
        Log.infof("Job %s %s in %d ms (attempt %d)", job.id(), job.status().name().toLowerCase(Locale.ROOT),
                Duration.between(job.submittedAt(), job.finishedAt()).toMillis(), job.attempts());
        if (job.nextDeliveryAt().isPresent()) {
            notifier.finished(job);
        }
    }

    private static JobError gaveUp(int attempts, String why) {
        return new JobError(ErrorCode.INTERNAL_ERROR, "Recognition failed " + attempts + " times; " + why, false);
    }

    /** @param idempotencyKey the key as the client gave it, for the error: the stored one is scoped */
    private static OcrJob sameRequest(OcrJob earlier, String idempotencyKey, String digest) {
        if (!Objects.equals(earlier.requestDigest(), digest)) {
            throw new IdempotencyKeyReusedException(idempotencyKey, earlier.id());
        }
        return earlier;
    }

    /**
     * The key as stored: a tenant's keys are its own, so two tenants using one key never meet. Neither a key nor a
     * tenant holds a control character, so the newline keeps every (tenant, key) pair apart, and apart from the
     * keys stored without a tenant.
     */
    private static String scoped(String idempotencyKey, String tenant) {
        return idempotencyKey == null || tenant == null ? idempotencyKey : "tenant:" + tenant + "\n" + idempotencyKey;
    }

    /**
     * What a request asks besides its image, for its identity: its options and, unless normal, its lane (so that
     * the digests of requests made before lanes stay as they were).
     */
    private static String request(OcrOptions options, Schedule schedule) {
        return schedule.lane() == Lane.NORMAL ? options.toString()
                : options + " priority=" + schedule.lane().wireName();
    }

    /**
     * The identity of a request: its options (today's and any added later, by the record's text; a document's
     * DPI and pages too) and image.
     */
    private static String requestDigest(byte[] image, String options, String callbackUrl) {
        return Sha256.hex(image, options, String.valueOf(callbackUrl));
    }
}
