package dev.asyncocr.reliability;

import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import dev.asyncocr.testing.EventReceiver.Reply;
import dev.asyncocr.testing.ServiceReplicas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The callback receiver goes away in the middle of a load on two replicas that share RabbitMQ and Redis
 * (CallbackRestartIT covers one job across a replica crash; this is the same promise under load, with two
 * replicas claiming deliveries from one store): first nothing listens (connections refused), then it answers
 * 503 with Retry-After for a while, then it takes events again. Every job's event arrives at least once,
 * each job has one event id, and every job's delivery ends delivered.
 */
class CallbackOutageIT {

    private static final int JOBS = 200;
    private static final Duration REFUSING = Duration.ofSeconds(15);
    private static final int UNAVAILABLE_ANSWERS = 30;
    private static final Duration WITHIN = Duration.ofMinutes(4);

    @RegisterExtension
    final ServiceReplicas replicas = new ServiceReplicas();
    private final List<EventReceiver> receivers = new ArrayList<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(EventReceiver::close);
    }

    @Test
    void eventsHeldWhileTheReceiverIsDownAreAllDeliveredWhenItReturns() throws Exception {
        int receiverPort = ServiceReplicas.freePort();
        EventReceiver before = open(receiverPort);
        int a = ServiceReplicas.freePort();
        int b = ServiceReplicas.freePort();
        replicas.start(b, "b", Settings.replica(1));
        replicas.start(a, "a", Settings.replica(1));
        AtomicInteger turn = new AtomicInteger();
        Load load = new Load(() -> turn.getAndIncrement() % 2 == 0 ? a : b, before.url("/hook"));
        long start = System.nanoTime();
        CompletableFuture<Void> clients = load.start(0, JOBS, 8, 8, WITHIN);

        ReplicaKillUnderLoadIT.awaitAccepted(load, 40);
        Outcomes.awaitEventCount(before, 10, WITHIN);
        before.close();
        Thread.sleep(REFUSING.toMillis()); // nobody listens for that long, whatever happens meanwhile
        EventReceiver after = open(receiverPort);
        after.script("/hook", java.util.stream.Stream.generate(() -> Reply.status(503).withHeader("Retry-After", "1"))
                .limit(UNAVAILABLE_ANSWERS).toArray(Reply[]::new));
        clients.get();

        Map<String, LoadImages.Job> jobs = new HashMap<>();
        load.accepted().values().forEach(j -> jobs.put(j.id(), j.job()));
        assertTrue(Outcomes.awaitEvents(after, jobs.keySet().stream().filter(id -> before.received(
                EventReceiver.about(id)).isEmpty()).toList(), WITHIN), "events missing: " + load.summary());
        Map<String, Outcomes.Final> finals = Outcomes.awaitDelivered(a, jobs.keySet(), WITHIN);
        // every request that reached a receiver, the 503-answered ones too: one event id per job all the same
        List<Received> events = new ArrayList<>(before.received(r -> true));
        events.addAll(after.received(r -> true));
        Outcomes.Figures figures = Outcomes.check(jobs, finals, events,
                List.of(replicas.logFile("a"), replicas.logFile("b")), true);
        long retried = finals.values().stream().filter(f -> f.deliveryAttempts() > 1).count();
        int mostAttempts = finals.values().stream().mapToInt(Outcomes.Final::deliveryAttempts).max().orElse(0);
        System.out.printf("[reliability] callback outage (%d s refused, then %d answers 503): %d jobs on 2 replicas in "
                        + "%.1f s; %d events before the outage, %d requests after it (%d answered 503); deliveries "
                        + "retried: %d jobs, at most %d attempts; %s; %s (duplicates include the 503-answered)%n", REFUSING.toSeconds(), UNAVAILABLE_ANSWERS,
                jobs.size(), (System.nanoTime() - start) / 1e9, before.received(r -> true).size(),
                after.received(r -> true).size(), UNAVAILABLE_ANSWERS, retried, mostAttempts, load.summary(), figures);

        assertEquals(JOBS, jobs.size(), load.summary());
        assertEquals(List.of(), load.unexpected());
        assertTrue(retried > 0, "no delivery met the outage");
    }

    private EventReceiver open(int port) {
        EventReceiver receiver = new EventReceiver(port);
        receivers.add(receiver);
        return receiver;
    }
}
