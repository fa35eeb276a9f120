package dev.asyncocr.messaging;

import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.job.JobHandler;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.JobService.Outcome;
import dev.asyncocr.job.RequestIdLogging;
import dev.asyncocr.job.StoreUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonReceiver;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.message.Message;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes job messages off the queue and hands them to the worker pool. The broker's credit always
 * equals the free worker slots: credit outstanding plus jobs in flight is {@code ocr.worker.concurrency}
 * at every moment, so a replica holds no more messages than it is running and the rest stay on the
 * queue for other replicas. A message is settled only once its outcome is stored.
 */
@Singleton
public class JobConsumer {

    /**
     * How long a message whose job met an unreachable store is held (with its credit) before it goes back:
     * redelivered at once it would only meet the same outage, as fast as the broker can deliver.
     */
    static final Duration STORE_OUTAGE_PAUSE = Duration.ofSeconds(2);
    /** How long a message of a newer format waits before it goes back, so that it does not come straight back. */
    static final Duration NEWER_FORMAT_PAUSE = Duration.ofSeconds(2);

    private final BrokerClient broker;
    private final JobMessages messages;
    private final JobHandler handler;
    private final int concurrency;
    private final Duration shutdownGrace;
    /** The link on the current connection; touched on the broker's context only, like the fields below. */
    private ProtonReceiver receiver;
    /** Deliveries handed to the pool and not yet settled, on any link. */
    private int busy;
    private boolean stopping;
    private CompletableFuture<Void> idle;

    public JobConsumer(BrokerClient broker, JobMessages messages, JobHandler handler, WorkerConfig config) {
        this.broker = broker;
        this.messages = messages;
        this.handler = handler;
        this.concurrency = config.concurrency();
        this.shutdownGrace = config.shutdownGrace();
    }

    /** Consumes in the roles that run inference; an {@code api} replica never creates the consumer. */
    static void start(@Observes @Priority(20) StartupEvent event, RoleConfig config, Instance<JobConsumer> consumer) {
        if (config.role().runsWorkers()) {
            consumer.get().consume();
        }
    }

    private void consume() {
        broker.onConnected(this::attach);
    }

    /**
     * Stops taking messages and waits up to the grace period for the jobs in flight; the broker
     * redelivers whatever is unsettled when the connection closes. Runs before the HTTP server and the
     * beans go away.
     */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(1) ShutdownEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        broker.run(() -> {
            stopping = true;
            idle = done;
            if (busy == 0) {
                done.complete(null);
            }
        });
        try {
            done.get(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            Log.info("Worker pool drained");
        } catch (Exception e) {
            Log.warnf("Jobs still running after %s; the broker will redeliver them", shutdownGrace);
        }
        broker.close();
    }

    private void attach(ProtonConnection connection) {
        if (stopping) {
            return;
        }
        ProtonReceiver link = connection.createReceiver(messages.requests())
                .setPrefetch(0)
                .setAutoAccept(false);
        BrokerClient.durable(link.getSource());
        link.handler((delivery, message) -> onMessage(link, delivery, message));
        link.openHandler(opened -> {
            if (opened.failed()) {
                Log.errorf(opened.cause(), "Cannot consume from '%s'", messages.requests());
            }
        });
        link.open();
        receiver = link;
        link.flow(Math.max(0, concurrency - busy));
    }

    private void onMessage(ProtonReceiver link, ProtonDelivery delivery, Message message) {
        if (stopping) {
            delivery.disposition(Released.getInstance(), true); // for another replica
            return;
        }
        JobMessage job;
        try {
            job = messages.decode(message);
        } catch (IllegalArgumentException e) {
            Log.errorf("Parking a malformed message on '%s': %s", messages.deadLetters(), e.getMessage());
            busy++;
            deadLetter(delivery, message, e.getMessage());
            return;
        }
        busy++;
        if (!job.understood()) { // a newer replica's format, met during a rolling upgrade: not this one's to run
            Log.warnf("Job %s came in message format %d, newer than this replica's %d; handing it back for a newer "
                    + "replica in %s", job.requestId(), job.version(), JobMessage.VERSION, NEWER_FORMAT_PAUSE);
            broker.runLater(NEWER_FORMAT_PAUSE, () -> finish(delivery, Released.getInstance()));
            return;
        }
        handler.handle(job, JobMessages.properties(message)).whenComplete((outcome, failure) -> {
            if (failure == null) {
                broker.run(() -> settle(delivery, message, job, outcome));
            } else if (failure instanceof StoreUnavailableException) {
                try (RequestIdLogging logging = RequestIdLogging.of(job.requestId())) {
                    Log.warnf("Job %s waits for the store (%s); the broker will deliver it again in %s",
                            job.requestId(), failure.getMessage(), STORE_OUTAGE_PAUSE);
                }
                broker.runLater(STORE_OUTAGE_PAUSE, () -> settle(delivery, message, job, Outcome.RETRY));
            } else {
                broker.run(() -> {
                    try (RequestIdLogging logging = RequestIdLogging.of(job.requestId())) {
                        Log.errorf(failure, "Job %s could not be processed; the broker will deliver it again",
                                job.requestId());
                    }
                    settle(delivery, message, job, Outcome.RETRY);
                });
            }
        });
    }

    private void settle(ProtonDelivery delivery, Message message, JobMessage job, Outcome outcome) {
        switch (outcome) {
            case DONE -> finish(delivery, Accepted.getInstance());
            case RETRY -> finish(delivery, Released.getInstance());
            case DEAD_LETTER -> deadLetter(delivery, message, "job " + job.requestId() + " failed for good");
        }
    }

    /** Parks a copy on the dead-letter queue, then accepts the original; if parking fails it is delivered again. */
    private void deadLetter(ProtonDelivery delivery, Message message, String reason) {
        broker.send(messages.deadLetters(), messages.deadLetter(message, reason)).subscribe().with(
                ok -> broker.run(() -> finish(delivery, Accepted.getInstance())),
                failure -> broker.run(() -> {
                    Log.warnf("Cannot park a message on '%s' (%s); the broker will deliver it again",
                            messages.deadLetters(), failure.getMessage());
                    finish(delivery, Released.getInstance());
                }));
    }

    private void finish(ProtonDelivery delivery, DeliveryState state) {
        delivery.disposition(state, true);
        busy--;
        if (stopping) {
            if (busy == 0 && idle != null) {
                idle.complete(null);
            }
        } else if (receiver != null && receiver.isOpen()) {
            receiver.flow(1);
        }
    }
}
