package dev.asyncocr.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.CallbackConfig;
import dev.asyncocr.config.StoreConfig;
import dev.asyncocr.job.Delivery;
import dev.asyncocr.job.JobNotifier;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.RequestIdLogging;
import dev.asyncocr.observability.JobTracing;
import dev.asyncocr.observability.OcrMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Delivers completion events, at least once. A finishing job is stored with the deliveries it owes
 * ({@link #deliveriesFor}); every replica then looks in the store for deliveries due, claims one with
 * a lease (an atomic store transition, so that one replica sends it), sends it and stores how it went.
 * A replica that dies mid-send loses nothing: the lease runs out and the delivery is due again.
 */
@Startup
@Singleton
public class CallbackDispatcher implements JobNotifier {

    /** Sends at once per replica; a poll takes no more due jobs than there are free. */
    private static final int MAX_IN_FLIGHT = 64;
    /** How long past its timeout a send keeps its claim, for the store write after it. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final JobStore store;
    private final CallbackTargets targets;
    private final CompletionEvents events;
    private final RetryPolicy policy;
    private final Optional<URI> sink;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private final EventSender sender;
    /** One thread claims, and records the outcome of, every send; the HTTP exchanges are asynchronous. */
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ocr-callbacks");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    private final OcrMetrics metrics;
    private final JobTracing tracing;

    public CallbackDispatcher(JobStore store, CallbackConfig config, StoreConfig storeConfig, ObjectMapper json,
            OcrMetrics metrics, JobTracing tracing, Vertx vertx) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.store = store;
        this.targets = new CallbackTargets(config.allowPrivateTargets());
        WebhookSigner signer = WebhookSigner.of(config.signingSecrets().orElse(List.of()));
        if (!signer.signs()) {
            Log.warn("ocr.callback.signing-secrets is not set: completion events go out unsigned");
        }
        this.events = new CompletionEvents(config.source(), config.ceOverrides().orElse(null), signer, json);
        Duration window = config.retryWindow();
        if (window.compareTo(storeConfig.resultTtl()) > 0) {
            Log.warnf("ocr.callback.retry-window (%s) is longer than ocr.store.result-ttl (%s), which ends it: a job's "
                    + "deliveries go with its record", window, storeConfig.resultTtl());
            window = storeConfig.resultTtl();
        }
        this.policy = new RetryPolicy(config.maxAttempts(), window, config.initialBackoff(), config.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.sink = config.sink();
        this.timeout = config.timeout();
        this.sender = new EventSender(vertx, targets, timeout);
        sink.ifPresent(uri -> Log.infof("Completion events also go to the sink %s", uri));
        long poll = config.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::deliverDue, poll, poll, TimeUnit.MILLISECONDS);
    }

    @Override
    public void checkCallbackUrl(String url) {
        targets.check(url);
    }

    @Override
    public List<Delivery> deliveriesFor(OcrJob job) {
        if (!job.status().isFinal() || job.status() == JobStatus.CANCELLED) { // a canceller knows already
            return List.of();
        }
        return owed(job, (target, url) -> Delivery.pending(target, url, job.finishedAt()));
    }

    @Override
    public List<Delivery> deliveriesFor(OcrJob job, Delivery.PageEvent page) {
        return owed(job, (target, url) -> Delivery.pending(target, url, page));
    }

    /** An event for each target: the job's callback URL, and the sink. */
    private List<Delivery> owed(OcrJob job, BiFunction<Delivery.Target, String, Delivery> pending) {
        List<Delivery> owed = new ArrayList<>();
        if (job.callbackUrl() != null) {
            owed.add(pending.apply(Delivery.Target.CALLBACK, job.callbackUrl()));
        }
        sink.ifPresent(uri -> owed.add(pending.apply(Delivery.Target.SINK, uri.toString())));
        return owed;
    }

    @Override
    public void finished(OcrJob job) {
        try {
            executor.execute(() -> attempt(job.id()));
        } catch (RejectedExecutionException e) {
            // shutting down: the delivery stays due in the store
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow(); // sends under way keep their claims until the lease ends, then are due again
        sender.close();
    }

    /** The poll: deliveries that other replicas finished, retries whose time came, claims whose lease ran out. */
    private void deliverDue() {
        try {
            int free = MAX_IN_FLIGHT - inFlight.get();
            if (free > 0) {
                store.dueDeliveries(clock.instant(), free).forEach(this::attempt);
            }
        } catch (RuntimeException e) { // the store is unreachable: the next poll tries again
            Log.warnf("Could not look for completion events to deliver: %s", e.toString());
        }
    }

    /** Claims the job's due deliveries and sends them; nothing when another replica claimed them first. */
    private void attempt(String id) {
        Instant now = clock.instant();
        Instant leaseEnd = now.plus(timeout).plus(LEASE_MARGIN);
        JobStore.Transition claim;
        try {
            claim = store.transition(id, job -> job.deliveries().stream().anyMatch(d -> d.dueAt(now)),
                    job -> job.withDeliveries(job.deliveries().stream()
                            .map(d -> d.dueAt(now) ? d.claimed(leaseEnd) : d).toList()));
        } catch (RuntimeException e) {
            Log.warnf("Could not claim the completion events of job %s: %s", id, e.toString());
            return;
        }
        if (claim.applied()) {
            claim.job().deliveries().stream()
                    .filter(d -> d.state() == Delivery.State.PENDING && leaseEnd.equals(d.nextAttemptAt()))
                    .forEach(d -> send(claim.job(), d, now));
        }
    }

    private void send(OcrJob job, Delivery delivery, Instant now) {
        inFlight.incrementAndGet();
        Span span = tracing.startSend(job.traceparent(), delivery.target().name().toLowerCase(Locale.ROOT), job.id());
        boolean callback = delivery.target() == Delivery.Target.CALLBACK; // the sink is the operator's: trusted
        sender.send(URI.create(delivery.url()), callback, events.request(job, delivery, now, tracing.headers(span)))
                .thenAcceptAsync(result -> {
                    sent(span, result);
                    record(job, delivery, result);
                }, executor)
                .whenComplete((ignored, error) -> inFlight.decrementAndGet());
    }

    private static void sent(Span span, SendResult result) {
        if (result.status() != null) {
            span.setAttribute("http.response.status_code", result.status());
        }
        if (result.error() != null) {
            span.setStatus(StatusCode.ERROR, result.error());
        }
        span.end();
    }

    /** Stores how a send went, unless the delivery was claimed again meanwhile (its lease ran out). */
    private void record(OcrJob job, Delivery sent, SendResult result) {
        try (RequestIdLogging logging = RequestIdLogging.of(job.id())) {
            settle(job, sent, result);
        }
    }

    private void settle(OcrJob job, Delivery sent, SendResult result) {
        // the retry window starts when the event's page or job finished
        Instant finished = sent.page() == null ? job.finishedAt() : sent.page().finishedAt();
        Delivery settled = policy.settle(sent, result, finished, clock.instant());
        metrics.delivered(sent.target(), switch (settled.state()) {
            case DELIVERED -> OcrMetrics.DeliveryOutcome.DELIVERED;
            case PENDING -> OcrMetrics.DeliveryOutcome.RETRIED;
            case FAILED -> OcrMetrics.DeliveryOutcome.FAILED;
        });
        try {
            store.transition(job.id(), current -> current.delivery(sent)
                            .filter(d -> d.state() == Delivery.State.PENDING && d.attempts() == sent.attempts())
                            .isPresent(),
                    current -> current.withDelivery(settled));
        } catch (RuntimeException e) {
            Log.warnf("Could not store the outcome of a completion event of job %s (it will be sent again): %s",
                    job.id(), e.toString());
            return;
        }
        switch (settled.state()) {
            case DELIVERED -> Log.debugf("Job %s: event delivered to its %s", job.id(), sent.target());
            case PENDING -> Log.infof("Job %s: event to its %s not delivered (%s); attempt %d, next at %s", job.id(),
                    sent.target(), result.error(), sent.attempts(), settled.nextAttemptAt());
            case FAILED -> Log.warnf("Job %s: event to its %s failed for good: %s", job.id(), sent.target(),
                    settled.lastError());
        }
    }
}
