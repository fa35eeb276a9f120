package dev.asyncocr.messaging;

import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.job.JobHandler;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.JobService.Outcome;
import dev.asyncocr.job.Lane;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes job messages off the queue and hands them to the worker pool, and settles each only once its outcome is
 * stored. Each lane's link carries a credit per free worker slot ({@code ocr.worker.concurrency} less the jobs in
 * flight); a delivery beyond the free slots is released back to its queue at once, so a replica runs no more
 * messages than it has slots for and holds none for longer than {@link #CHOICE_WINDOW}: the rest stay on the
 * queue for other replicas.
 *
 * <p><b>Lanes.</b> Each {@link Lane} is a queue of its own ({@link JobMessages#requests(Lane)}): RabbitMQ 3.x
 * can neither turn the existing queue into a priority queue nor declare one through an AMQP 1.0 address. With a
 * credit on every lane, a freed slot draws the head of every lane that has one, within a round trip of each
 * other; the consumer collects what comes for {@link #CHOICE_WINDOW}, starts the best (high, then normal, then
 * low; first come within a lane) for its free slots and releases the rest, which go back to the head of their
 * queues. A credit left over on a lane (the slot went to another lane's job) brings at most one delivery, which
 * is released, and is then spent. The window adds up to its 50 ms to a start that a freed slot draws, small
 * beside jobs of hundreds of milliseconds; a message that comes to credit granted longer ago than the window
 * (the lanes were empty: a lone submission to an idle replica) starts at once. AMQP drain, which would ask each lane in turn without a window, was tried and dropped:
 * RabbitMQ 3.10's classic queues crash the session on a drain that returns credit (a {@code function_clause} on
 * {@code send_drained}), and Artemis ignores a drain that reaches it while it is still answering the link's
 * previous one, which stalled a worker slot for the drain's timeout once in the contract tests' 200-job run.
 *
 * <p><b>Starvation guard.</b> A low job's message that has waited {@code ocr.queue.max-low-wait} (its creation
 * time) ranks first: a freed slot takes it ahead of the other lanes.
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

    /**
     * How long the deliveries a freed slot draws are collected before the best is started: the heads of the lanes
     * arrive within a round trip of each other, a few milliseconds even on a loaded broker.
     */
    static final Duration CHOICE_WINDOW = Duration.ofMillis(50);
    private static final List<Lane> LANES = List.of(Lane.values());

    /** A delivery waiting for the choice, on the links it came by. */
    private record Candidate(List<ProtonReceiver> links, Lane lane, ProtonDelivery delivery, Message message,
                             boolean overdue) {

        /** The order the choice takes candidates in: a low job that waited too long, then by lane. */
        int rank() {
            return overdue ? -1 : lane.ordinal();
        }
    }

    private final BrokerClient broker;
    private final JobMessages messages;
    private final JobHandler handler;
    private final int concurrency;
    private final Duration shutdownGrace;
    private final Duration maxLowWait;
    /** The links on the current connection, by lane; touched on the broker's context only, like the fields below. */
    private List<ProtonReceiver> links;
    /** Deliveries collected for the next choice, in arrival order. */
    private final List<Candidate> candidates = new ArrayList<>();
    /** When credit was last granted ({@link System#nanoTime}): the heads it draws come within the window after. */
    private long grantedAt;
    /** Deliveries handed to the pool and not yet settled, on any link. */
    private int busy;
    private boolean stopping;
    private CompletableFuture<Void> idle;

    public JobConsumer(BrokerClient broker, JobMessages messages, JobHandler handler, WorkerConfig config,
                       QueueConfig queue) {
        this.broker = broker;
        this.messages = messages;
        this.handler = handler;
        this.concurrency = config.concurrency();
        this.shutdownGrace = config.shutdownGrace();
        this.maxLowWait = queue.maxLowWait();
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
        List<ProtonReceiver> attached = new ArrayList<>();
        for (Lane lane : LANES) {
            String address = messages.requests(lane);
            ProtonReceiver link = connection.createReceiver(address).setPrefetch(0).setAutoAccept(false);
            BrokerClient.durable(link.getSource());
            link.handler((delivery, message) -> onMessage(attached, lane, delivery, message));
            link.openHandler(opened -> {
                if (opened.failed()) {
                    Log.errorf(opened.cause(), "Cannot consume from '%s'", address);
                }
            });
            attached.add(link.open());
        }
        links = attached;
        topUp();
    }

    /** Brings every lane's credit up to the free slots (a lane may hold more, left over from a choice). */
    private void topUp() {
        if (stopping || links == null || !candidates.isEmpty()) {
            return; // while candidates wait, the choice tops up after it
        }
        int free = concurrency - busy;
        for (ProtonReceiver link : links) {
            int more = free - link.getCredit();
            if (more > 0) {
                link.flow(more);
                grantedAt = System.nanoTime();
            }
        }
    }

    private void onMessage(List<ProtonReceiver> from, Lane lane, ProtonDelivery delivery, Message message) {
        if (stopping) {
            delivery.disposition(Released.getInstance(), true); // for another replica
            return;
        }
        boolean first = candidates.isEmpty();
        candidates.add(new Candidate(from, lane, delivery, message, lane == Lane.LOW && waitedTooLong(message)));
        if (first && System.nanoTime() - grantedAt >= CHOICE_WINDOW.toNanos()) {
            choose(); // the credit waited longer than the window: every lane was empty until this came
        } else if (first) {
            broker.runLater(CHOICE_WINDOW, this::choose);
        }
    }

    /** Starts the best candidates for the free slots and releases the rest back to their queues. */
    private void choose() {
        candidates.sort(Comparator.comparingInt(Candidate::rank));
        for (Candidate candidate : candidates) {
            if (candidate.links() != links) {
                continue; // came on a connection since lost: the broker delivers it again
            }
            if (stopping || busy >= concurrency) {
                candidate.delivery().disposition(Released.getInstance(), true);
            } else {
                take(candidate.delivery(), candidate.message());
            }
        }
        candidates.clear();
        topUp();
    }

    /** Whether a low job's message has waited the longest a low job may; one without a creation time has. */
    private boolean waitedTooLong(Message message) {
        return message.getCreationTime() <= System.currentTimeMillis() - maxLowWait.toMillis();
    }

    private void take(ProtonDelivery delivery, Message message) {
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
        } else {
            topUp();
        }
    }
}
