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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes job messages off the queues and hands them to the worker pool, and settles each only once its outcome is
 * stored. Each queue's link carries a credit per free worker slot ({@code ocr.worker.concurrency} less the jobs in
 * flight); a delivery beyond the free slots is released back to its queue at once, so a replica runs no more
 * messages than it has slots for and holds none for longer than {@link #CHOICE_WINDOW}: the rest stay on the
 * queues for other replicas.
 *
 * <p><b>Lanes and tenants.</b> Each {@link Lane} is a queue of its own, and so is each lane of each tenant with fair
 * share ({@link JobMessages#queues()}): RabbitMQ 3.x can neither turn the existing queue into a priority queue nor
 * declare one through an AMQP 1.0 address. A freed slot draws the head of every queue whose credit it renews, within
 * a round trip of each other; the consumer collects them until each of those queues has answered (or for at most
 * the window: an empty queue does not answer), starts the best for its free slots, and releases the rest, which go
 * back to the head of their queues. The best is high, then normal, then low; within a lane, the tenant whose job
 * this replica started least recently (round robin); within a queue, first come. A queue whose credit is older than
 * the window is known to be empty, as the broker sends a message to waiting credit at once: so a backlog's next job
 * starts as soon as it comes, and a lone submission to an idle replica too. A credit left over on a queue (the slot
 * went to another queue's job) brings at most one delivery, which is released, and is then spent. AMQP drain, which
 * would tell an empty queue at once, was tried and dropped: RabbitMQ 3.10's classic queues crash the session on a
 * drain that returns credit (a {@code function_clause} on {@code send_drained}), and Artemis ignores a drain that
 * reaches it while it is still answering the link's previous one, which stalled a worker slot for the drain's
 * timeout once in the contract tests' 200-job run.
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
     * The longest the deliveries a freed slot draws are collected before the best is started: the heads of the
     * queues arrive within a round trip of each other, a few milliseconds even on a loaded broker; a queue that
     * has not answered by then is taken to be empty.
     */
    static final Duration CHOICE_WINDOW = Duration.ofMillis(50);

    /** A queue's link on one connection, and when its credit was last renewed. */
    private static final class Source {
        final JobMessages.Queue queue;
        final ProtonReceiver link;
        /** When credit was last added ({@link System#nanoTime}), and whether a delivery came since. */
        long flowedAt;
        boolean answered = true;

        Source(JobMessages.Queue queue, ProtonReceiver link) {
            this.queue = queue;
            this.link = link;
        }

        /** Whether its head may still be on its way: its credit was renewed within the window, nothing came yet. */
        boolean awaited(long now) {
            return !answered && now - flowedAt < CHOICE_WINDOW.toNanos();
        }
    }

    /** A delivery waiting for the choice, on the connection's sources it came by. */
    private record Candidate(List<Source> sources, Source source, ProtonDelivery delivery, Message message,
                             boolean overdue) {

        /** The order of lanes the choice takes candidates in: a low job that waited too long, then by lane. */
        int rank() {
            return overdue ? -1 : source.queue.lane().ordinal();
        }

        /** Whose turn it takes: its queue's tenant, or "" for the shared queues. */
        String share() {
            return Objects.requireNonNullElse(source.queue.tenant(), "");
        }
    }

    private final BrokerClient broker;
    private final JobMessages messages;
    private final JobHandler handler;
    private final int concurrency;
    private final Duration shutdownGrace;
    private final Duration maxLowWait;
    /** The queues' links on the current connection; touched on the broker's context only, like the fields below. */
    private List<Source> sources;
    /** Deliveries collected for the next choice, in arrival order. */
    private final List<Candidate> candidates = new ArrayList<>();
    /** Choices made so far: a window's timer that finds a later count has nothing left to choose. */
    private long choices;
    /** Jobs started so far, and the count at each share's latest start: the round robin between tenants. */
    private long starts;
    private final Map<String, Long> lastStart = new HashMap<>();
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
        List<Source> attached = new ArrayList<>();
        for (JobMessages.Queue queue : messages.queues()) {
            ProtonReceiver link = connection.createReceiver(queue.address()).setPrefetch(0).setAutoAccept(false);
            BrokerClient.durable(link.getSource());
            Source source = new Source(queue, link);
            link.handler((delivery, message) -> onMessage(attached, source, delivery, message));
            link.openHandler(opened -> {
                if (opened.failed()) {
                    Log.errorf(opened.cause(), "Cannot consume from '%s'", queue.address());
                }
            });
            link.open();
            attached.add(source);
        }
        sources = attached;
        topUp();
    }

    /** Brings every queue's credit up to the free slots (a queue may hold more, left over from a choice). */
    private void topUp() {
        if (stopping || sources == null || !candidates.isEmpty()) {
            return; // while candidates wait, the choice tops up after it
        }
        int free = concurrency - busy;
        for (Source source : sources) {
            int more = free - source.link.getCredit();
            if (more > 0) {
                source.link.flow(more);
                source.flowedAt = System.nanoTime();
                source.answered = false;
            }
        }
    }

    private void onMessage(List<Source> from, Source source, ProtonDelivery delivery, Message message) {
        if (stopping) {
            delivery.disposition(Released.getInstance(), true); // for another replica
            return;
        }
        source.answered = true;
        boolean first = candidates.isEmpty();
        candidates.add(new Candidate(from, source, delivery, message,
                source.queue.lane() == Lane.LOW && waitedTooLong(message)));
        long now = System.nanoTime();
        if (from.stream().noneMatch(s -> s.awaited(now))) {
            choose(); // every queue that may hold a better job has answered
        } else if (first) {
            long choice = choices;
            broker.runLater(CHOICE_WINDOW, () -> {
                if (choices == choice) {
                    choose();
                }
            });
        }
    }

    /** Starts the best candidates for the free slots, one at a time, and releases the rest back to their queues. */
    private void choose() {
        choices++;
        List<Candidate> live = new ArrayList<>(candidates.stream().filter(c -> c.sources() == sources).toList());
        candidates.clear(); // the others came on a connection since lost: the broker delivers them again
        Comparator<Candidate> best = Comparator.comparingInt(Candidate::rank)
                .thenComparingLong(c -> lastStart.getOrDefault(c.share(), 0L));
        while (!live.isEmpty() && !stopping && busy < concurrency) {
            Candidate next = live.stream().min(best).orElseThrow(); // the earliest come of equals
            live.remove(next);
            lastStart.put(next.share(), ++starts);
            take(next.delivery(), next.message());
        }
        live.forEach(candidate -> candidate.delivery().disposition(Released.getInstance(), true));
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
