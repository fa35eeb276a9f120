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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes job messages off the queue and hands them to the worker pool. Credit outstanding never exceeds the free
 * worker slots ({@code ocr.worker.concurrency} less the jobs in flight) for longer than a drain takes, so a
 * replica holds no more messages than it can run and the rest stay on the queue for other replicas. A message
 * is settled only once its outcome is stored.
 *
 * <p><b>Lanes.</b> Each {@link Lane} is a queue of its own ({@link JobMessages#requests(Lane)}): RabbitMQ 3.x
 * can neither turn the existing queue into a priority queue nor declare one through an AMQP 1.0 address, and
 * Artemis's message priorities would not survive a move to RabbitMQ. One link per lane, and the credit goes
 * where the next job should come from. A <em>pass</em> grants the free slots to the high lane and drains it (AMQP
 * drain: the broker sends what it has up to the credit, then says it has no more), grants what is still free to
 * the normal lane and drains it, then the low one; so each freed slot takes the head of the highest lane that has
 * one, wherever it was queued. A pass that found nothing, while nothing finished, leaves a credit per free slot on
 * every lane and waits; the first message ends the wait: every lane is drained, any message beyond the free
 * slots is released back to its queue, and passes resume. The cost is one drain round trip per lane and pass,
 * a millisecond or two on a local broker beside jobs of hundreds of milliseconds.
 *
 * <p><b>Starvation guard.</b> A pass starts, at most every tenth of {@code ocr.queue.max-low-wait}, by looking
 * at the low lane's head (credit 1, drained): one that has waited that long (its message's creation time) runs
 * at once, ahead of the other lanes; a younger one is released back to the head of its queue.
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
     * How long a drain waits for the broker's answer before it is asked again, and how many times: Artemis ignores
     * a drain that reaches it while it is still finishing the link's previous one (it clears its flag just after
     * answering, on another thread), which under load happened once in a few hundred passes and stalled the pass.
     */
    static final Duration DRAIN_ANSWER = Duration.ofMillis(500);
    static final int DRAIN_ASKS = 20;
    private static final List<Lane> LANES = List.of(Lane.values());

    /** What the credit on the links is doing. */
    private enum Credit {
        /** None outstanding: every slot is busy, or no link is attached. */
        NONE,
        /** A pass, or the end of a wait, is draining lanes; what comes next is decided when it is done. */
        DRAINING,
        /** A credit per free slot on every lane, until the first message comes. */
        WAITING
    }

    private final BrokerClient broker;
    private final JobMessages messages;
    private final JobHandler handler;
    private final int concurrency;
    private final Duration shutdownGrace;
    private final Duration maxLowWait;
    private final long lowHeadInterval;
    /** The links on the current connection, by lane; touched on the broker's context only, like the fields below. */
    private List<ProtonReceiver> links;
    private Credit credit = Credit.NONE;
    /** The credit on each lane while {@link Credit#WAITING}. */
    private int waiting;
    /** Messages taken plus messages settled: a pass during which it moved looks again from the top. */
    private long activity;
    /** Whether a delivery on the low lane is the head the starvation guard looks at. */
    private boolean lookingAtLowHead;
    private long lowHeadSeenAt;
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
        this.lowHeadInterval = maxLowWait.dividedBy(10).toNanos();
        this.lowHeadSeenAt = System.nanoTime() - lowHeadInterval;
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
            link.handler((delivery, message) -> onMessage(lane, delivery, message));
            link.openHandler(opened -> {
                if (opened.failed()) {
                    Log.errorf(opened.cause(), "Cannot consume from '%s'", address);
                }
            });
            attached.add(link.open());
        }
        links = attached;
        credit = Credit.NONE;
        lookingAtLowHead = false;
        pull();
    }

    /** Puts the free slots to use: a pass when no credit is out, more waiting credit when a slot freed meanwhile. */
    private void pull() {
        if (stopping || links == null) {
            return;
        }
        int free = concurrency - busy;
        if (credit == Credit.NONE) {
            pass(links);
        } else if (credit == Credit.WAITING && free > waiting) {
            int more = free - waiting;
            links.forEach(link -> link.flow(more));
            waiting = free;
        }
    }

    /** Looks at the lanes in order for the free slots, after the low lane's head when the guard is due. */
    private void pass(List<ProtonReceiver> lanes) {
        if (concurrency - busy <= 0) {
            credit = Credit.NONE;
            return;
        }
        credit = Credit.DRAINING;
        long mark = activity;
        if (System.nanoTime() - lowHeadSeenAt >= lowHeadInterval) {
            lowHeadSeenAt = System.nanoTime();
            lookingAtLowHead = true;
            drain(lanes, Lane.LOW, 1, () -> {
                lookingAtLowHead = false;
                step(lanes, 0, mark);
            });
        } else {
            step(lanes, 0, mark);
        }
    }

    /** Drains lane {@code index} of a pass begun at {@code mark}, then goes on to the next; after the last, waits. */
    private void step(List<ProtonReceiver> lanes, int index, long mark) {
        if (lanes != links || stopping) {
            return; // a pass on a connection since lost
        }
        int free = concurrency - busy;
        if (free <= 0) {
            credit = Credit.NONE;
        } else if (index < LANES.size()) {
            drain(lanes, LANES.get(index), free, () -> step(lanes, index + 1, mark));
        } else if (activity != mark) {
            pass(lanes); // jobs came or went meanwhile: a lane seen empty may not be any more
        } else {
            credit = Credit.WAITING;
            waiting = free;
            lanes.forEach(link -> link.flow(free));
        }
    }

    private void drain(List<ProtonReceiver> lanes, Lane lane, int credits, Runnable then) {
        lanes.get(lane.ordinal()).flow(credits);
        drained(lanes, lane, 1, then);
    }

    /** Asks the broker to drain a lane's link, and runs {@code then} once it has (or after {@link #DRAIN_ASKS}). */
    private void drained(List<ProtonReceiver> lanes, Lane lane, int ask, Runnable then) {
        lanes.get(lane.ordinal()).drain(DRAIN_ANSWER.toMillis(), drained -> {
            if (drained.succeeded() || lanes != links) {
                then.run();
            } else if (ask < DRAIN_ASKS) {
                Log.debugf("No answer to drain '%s' yet; asking again", messages.requests(lane));
                drained(lanes, lane, ask + 1, then);
            } else {
                Log.warnf("The broker did not answer a drain of '%s' within %s", messages.requests(lane),
                        DRAIN_ANSWER.multipliedBy(DRAIN_ASKS));
                then.run();
            }
        });
    }

    /** The first message after a wait: takes back the credit on every lane, then passes resume. */
    private void endWait() {
        credit = Credit.DRAINING;
        List<ProtonReceiver> lanes = links;
        int[] draining = {LANES.size()};
        for (Lane lane : LANES) {
            drained(lanes, lane, 1, () -> {
                if (--draining[0] == 0 && lanes == links) {
                    credit = Credit.NONE;
                    pull();
                }
            });
        }
    }

    private void onMessage(Lane lane, ProtonDelivery delivery, Message message) {
        if (stopping || busy >= concurrency || lane == Lane.LOW && lookingAtLowHead && !waitedTooLong(message)) {
            delivery.disposition(Released.getInstance(), true); // back to its queue, for a slot or replica free
        } else {
            activity++;
            take(delivery, message);
        }
        if (credit == Credit.WAITING) {
            endWait();
        }
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
        activity++;
        if (stopping) {
            if (busy == 0 && idle != null) {
                idle.complete(null);
            }
        } else {
            pull();
        }
    }
}
