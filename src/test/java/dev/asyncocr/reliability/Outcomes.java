package dev.asyncocr.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What became of the jobs a {@link Load} got accepted, read three ways that must agree: the service's own
 * answer ({@code GET /ocr/result/{id}}), the completion events a receiver got (deduplicated on the CloudEvent
 * id, as a receiver must: delivery is at least once), and the replicas' logs (one "Job ... succeeded|failed
 * in" line per stored outcome: a job finished twice would show two).
 */
final class Outcomes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINISHED = Pattern.compile(
            "Job ([0-9a-f-]{36}) (succeeded|failed|cancelled) in \\d+ ms \\(attempt (\\d+)\\)");
    /** A store call that failed in flight: it may have been applied all the same, its answer lost. */
    private static final Pattern WAITED_FOR_STORE = Pattern.compile("Job ([0-9a-f-]{36}) waits for the store");

    /** A job as the service answers for it. */
    record Final(int status, String state, String text, String deliveryState, int deliveryAttempts,
                 String errorCode) {

        boolean isFinal() {
            return status != 202;
        }
    }

    private Outcomes() {
    }

    /** Polls every job until it is final (anything but 202) or {@code within} has passed; the last answer of each. */
    static Map<String, Final> awaitFinal(int port, Collection<String> ids, Duration within) throws Exception {
        return awaitAnswers(port, ids, within, "final", Final::isFinal);
    }

    /** As {@link #awaitFinal}, and until each job's completion event shows delivered. */
    static Map<String, Final> awaitDelivered(int port, Collection<String> ids, Duration within) throws Exception {
        return awaitAnswers(port, ids, within, "delivered", f -> "delivered".equals(f.deliveryState()));
    }

    /** Polls the jobs not yet {@code done} once a second (8 at a time) until all are or {@code within} has passed. */
    private static Map<String, Final> awaitAnswers(int port, Collection<String> ids, Duration within, String what,
                                                   Predicate<Final> done) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Final> last = new ConcurrentHashMap<>();
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(ids);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            holdsWithin("every job " + what, within, Duration.ofSeconds(1), () -> {
                List<Future<?>> sweeps = new ArrayList<>();
                for (String id : pending) {
                    sweeps.add(pool.submit(() -> {
                        last.put(id, poll(http, port, id));
                        return null;
                    }));
                }
                for (Future<?> sweep : sweeps) {
                    sweep.get();
                }
                pending.removeIf(id -> done.test(last.get(id)));
                return pending.isEmpty();
            });
        } finally {
            pool.shutdownNow();
        }
        return new TreeMap<>(last);
    }

    static Final poll(HttpClient http, int port, String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/ocr/result/" + id)).timeout(Load.REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(answer.body());
        return new Final(answer.statusCode(), body.path("status").asText(null), body.path("text").asText(null),
                body.path("deliveries").path(0).path("state").asText(null),
                body.path("deliveries").path(0).path("attempts").asInt(0), body.path("error").path("code").asText(null));
    }

    /** Waits until the receiver got an event about each of {@code ids}; false when {@code within} passed first. */
    static boolean awaitEvents(EventReceiver receiver, Collection<String> ids, Duration within)
            throws InterruptedException {
        return holdsWithin("an event about each of " + ids.size() + " jobs", within, Duration.ofMillis(250),
                () -> receiver.received(r -> true).stream().map(r -> r.header("ce-subject")).collect(Collectors.toSet())
                        .containsAll(ids));
    }

    /** Waits until the receiver got {@code count} requests, whatever they are about. */
    static void awaitEventCount(EventReceiver receiver, int count, Duration within) throws InterruptedException {
        await(count + " events at the receiver").atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> receiver.received(r -> true).size(), n -> n >= count);
    }

    /** Whether {@code done} came to hold within {@code within}; when not, the caller tells what is missing. */
    private static boolean holdsWithin(String what, Duration within, Duration every, Callable<Boolean> done) {
        try {
            await(what).atMost(within).pollDelay(Duration.ZERO).pollInterval(every).until(done);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Every event received, by the job it is about. */
    static Map<String, List<Received>> eventsByJob(Collection<Received> events) {
        return events.stream().collect(Collectors.groupingBy(r -> r.header("ce-subject")));
    }

    /** Each stored outcome logged by the replicas: the attempt that finished it, by job. */
    static Map<String, List<Integer>> finishes(Collection<Path> logs) throws IOException {
        Map<String, List<Integer>> finishes = new HashMap<>();
        for (Path log : logs) {
            Matcher m = FINISHED.matcher(Files.readString(log));
            while (m.find()) {
                finishes.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(3)));
            }
        }
        return finishes;
    }

    /** The figures of one check of {@link #check}. */
    record Figures(int jobs, int succeeded, int failed, int lost, int eventsReceived, int duplicateEvents,
                   int redelivered, int misread) {

        @Override
        public String toString() {
            return jobs + " jobs: " + succeeded + " succeeded, " + failed + " failed on their input (as made), lost "
                    + lost + "; events " + eventsReceived + " received, " + duplicateEvents
                    + " duplicates (same CloudEvent id), jobs run more than once: " + redelivered
                    + ", results not matching the job's text: " + misread;
        }
    }

    /**
     * The invariants on {@code jobs} (accepted, by id): each is final with the outcome its image calls for,
     * none lost; each has exactly one outcome (one CloudEvent id among its events, the same text in the
     * events as in the answer, one finish line in the logs, or none when {@code finishLineRequired} is false
     * (a replica killed between storing the outcome and logging it) or when a store call of the job's failed
     * in flight (the outcome stored, its answer lost: the redelivery finds the job final and has nothing to
     * log)); when {@code events} is given,
     * each job's event arrived at least once and its delivery shows delivered.
     */
    static Figures check(Map<String, LoadImages.Job> jobs, Map<String, Final> finals, List<Received> events,
                         Collection<Path> logs, boolean finishLineRequired) throws IOException {
        Map<String, List<Received>> received = events == null ? Map.of() : eventsByJob(events);
        Map<String, List<Integer>> finishes = finishes(logs);
        Set<String> waitedForStore = new HashSet<>();
        for (Path log : logs) {
            WAITED_FOR_STORE.matcher(Files.readString(log)).results().forEach(m -> waitedForStore.add(m.group(1)));
        }
        List<String> problems = new ArrayList<>();
        int succeeded = 0;
        int failed = 0;
        int lost = 0;
        int duplicates = 0;
        int eventCount = 0;
        int redelivered = 0;
        List<String> misread = new ArrayList<>();
        for (Map.Entry<String, LoadImages.Job> entry : jobs.entrySet()) {
            String id = entry.getKey();
            LoadImages.Job job = entry.getValue();
            Final f = finals.get(id);
            if (f == null || !f.isFinal() || f.status() == 404) {
                lost++;
                problems.add("job " + job.number() + " (" + id + ") not final: " + f);
                continue;
            }
            if (job.broken()) {
                if (f.status() == 422 && "IMAGE_UNDECODABLE".equals(f.errorCode())) {
                    failed++;
                } else {
                    problems.add("broken job " + job.number() + " (" + id + ") answered " + f);
                }
            } else if (f.status() == 200 && "succeeded".equals(f.state())) {
                succeeded++;
                if (!normalized(job.expectedText()).equals(normalized(f.text()))) {
                    misread.add(job.number() + ": '" + job.expectedText() + "' read '" + f.text() + "'");
                }
            } else {
                problems.add("job " + job.number() + " (" + id + ") answered " + f);
            }
            List<Integer> finished = finishes.getOrDefault(id, List.of());
            if (finished.size() > 1 || (finishLineRequired && finished.isEmpty() && !waitedForStore.contains(id))) {
                problems.add("job " + job.number() + " (" + id + ") finished " + finished.size() + " times: attempts "
                        + finished);
            }
            if (finished.stream().anyMatch(attempt -> attempt > 1)) {
                redelivered++;
            }
            if (events != null) {
                List<Received> mine = received.getOrDefault(id, List.of());
                eventCount += mine.size();
                Set<String> eventIds = mine.stream().map(r -> r.header("ce-id")).collect(Collectors.toSet());
                duplicates += mine.size() - eventIds.size();
                if (eventIds.size() != 1) {
                    problems.add("job " + job.number() + " (" + id + "): " + eventIds.size() + " distinct events "
                            + eventIds);
                }
                Set<String> texts = new HashSet<>();
                for (Received r : mine) {
                    texts.add(String.valueOf(JSON.readTree(r.body()).path("text").asText(null)));
                }
                if (!job.broken() && !texts.equals(Set.of(String.valueOf(f.text())))) {
                    problems.add("job " + job.number() + " (" + id + "): events say " + texts + ", the answer '"
                            + f.text() + "'");
                }
                if (!"delivered".equals(f.deliveryState())) {
                    problems.add("job " + job.number() + " (" + id + "): delivery " + f.deliveryState());
                }
            }
        }
        Figures figures = new Figures(jobs.size(), succeeded, failed, lost, eventCount, duplicates, redelivered,
                misread.size());
        System.out.println("[reliability] " + figures + (misread.isEmpty() ? "" : "; misread e.g. "
                + misread.subList(0, Math.min(5, misread.size()))));
        assertTrue(problems.isEmpty(), problems.size() + " broken invariants, e.g. "
                + problems.subList(0, Math.min(20, problems.size())));
        assertEquals(0, lost);
        // the text is the only link from a result to its image: a result swapped between jobs reads as another
        // job's number; OCR itself may misread a character now and then, never most of them
        assertTrue(misread.size() <= Math.max(2, jobs.size() / 100), "too many results unlike their image: " + misread);
        return figures;
    }

    private static String normalized(String text) {
        return text == null ? "" : text.replace(" ", "").replace("\n", "");
    }
}
