package dev.asyncocr.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Clients submitting jobs ({@code POST /ocr/async}) the way a careful client does: each job carries an
 * {@code Idempotency-Key}, so that a submission whose answer was lost (connection reset, replica killed) is
 * sent again without making a second job; a 503 is retried after its {@code Retry-After} (capped at
 * {@link #RETRY_PAUSE_CAP}, to keep the tests short), a refused connection after a short pause. Every
 * request has a timeout, so a hang shows up as a counted timeout, never as a stuck test. Everything
 * answered is counted: the invariants are checked on these counts afterwards.
 */
final class Load {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    static final Duration RETRY_PAUSE_CAP = Duration.ofSeconds(1);
    private static final Duration CONNECT_RETRY_PAUSE = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A job the service accepted (202), and when the answer came. */
    record Accepted(LoadImages.Job job, String id, long atNanos) {
    }

    /** A submission answered with something other than 202 or 503, or a 503 without Retry-After. */
    record Unexpected(int job, int status, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String key = UUID.randomUUID().toString();
    private final IntSupplier port;
    private final String callbackUrl;
    private final ConcurrentMap<Integer, Accepted> accepted = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> unavailable = new ConcurrentHashMap<>();
    private final List<Unexpected> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionErrors = new AtomicInteger();
    private final AtomicInteger timeouts = new AtomicInteger();
    private final AtomicInteger resubmittedAfterLostAnswer = new AtomicInteger();
    private final AtomicLong slowestAnswerNanos = new AtomicLong();

    /**
     * @param port        the service's HTTP port, read at each request (a restarted replica may move)
     * @param callbackUrl where completion events go; null for none
     */
    Load(IntSupplier port, String callbackUrl) {
        this.port = port;
        this.callbackUrl = callbackUrl;
    }

    /** The port the jobs go to now. */
    int port() {
        return port.getAsInt();
    }

    /** {@link #run} on another thread, while the test makes its fault. */
    CompletableFuture<Void> start(int first, int count, int clients, double perSecond, Duration within) {
        return CompletableFuture.runAsync(() -> {
            try {
                run(first, count, clients, perSecond, within);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Submits jobs {@code first} to {@code first + count - 1} from {@code clients} threads, at most
     * {@code perSecond} new jobs a second in all (0: as fast as they go), each until it is accepted or
     * {@code within} has passed; returns when all are done.
     */
    void run(int first, int count, int clients, double perSecond, Duration within) throws Exception {
        AtomicInteger next = new AtomicInteger(first);
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < first + count; n = next.getAndIncrement()) {
                        if (perSecond > 0) {
                            long due = start + (long) ((n - first) / perSecond * 1e9);
                            sleepNanos(due - System.nanoTime());
                        }
                        submitUntilAccepted(LoadImages.job(n), deadline);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void submitUntilAccepted(LoadImages.Job job, long deadline) throws InterruptedException {
        boolean answerLost = false;
        while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            HttpResponse<String> answer;
            try {
                answer = http.send(request(job), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                timeouts.incrementAndGet();
                answerLost = true;
                continue;
            } catch (IOException e) { // refused (no replica listening) or reset (it died mid-request)
                connectionErrors.incrementAndGet();
                answerLost = true;
                Thread.sleep(CONNECT_RETRY_PAUSE.toMillis()); // a client's pause before it tries again
                continue;
            }
            slowestAnswerNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
            if (answer.statusCode() == 202) {
                String id = field(answer.body(), "request_id").orElseThrow();
                accepted.put(job.number(), new Accepted(job, id, System.nanoTime()));
                if (answerLost) {
                    resubmittedAfterLostAnswer.incrementAndGet();
                }
                return;
            }
            Optional<String> retryAfter = answer.headers().firstValue("Retry-After");
            if (answer.statusCode() == 503 && retryAfter.isPresent()) {
                unavailable.computeIfAbsent(errorCode(answer.body()), k -> new AtomicInteger()).incrementAndGet();
                long pause = Math.min(Long.parseLong(retryAfter.get()) * 1000, RETRY_PAUSE_CAP.toMillis());
                Thread.sleep(pause); // as the answer asked
                continue;
            }
            unexpected.add(new Unexpected(job.number(), answer.statusCode(), answer.body()));
            return;
        }
    }

    private HttpRequest request(LoadImages.Job job) {
        String query = job.query() + (callbackUrl == null ? "" : "&callback_url=" + callbackUrl);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + "/ocr/async?" + query))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", job.contentType())
                .header("Idempotency-Key", key + "-" + job.number())
                .POST(HttpRequest.BodyPublishers.ofByteArray(job.image())).build();
    }

    /** Accepted jobs by their number. */
    Map<Integer, Accepted> accepted() {
        return new TreeMap<>(accepted);
    }

    /** 503 answers (all with Retry-After) by error code. */
    Map<String, Integer> unavailable() {
        Map<String, Integer> counts = new TreeMap<>();
        unavailable.forEach((code, n) -> counts.put(code, n.get()));
        return counts;
    }

    int unavailable(String code) {
        return unavailable().getOrDefault(code, 0);
    }

    List<Unexpected> unexpected() {
        return List.copyOf(unexpected);
    }

    int connectionErrors() {
        return connectionErrors.get();
    }

    int timeouts() {
        return timeouts.get();
    }

    /** Jobs accepted on a later try after an earlier one got no answer (the idempotency key kept them single). */
    int resubmittedAfterLostAnswer() {
        return resubmittedAfterLostAnswer.get();
    }

    Duration slowestAnswer() {
        return Duration.ofNanos(slowestAnswerNanos.get());
    }

    String summary() {
        return "accepted " + accepted.size() + ", 503 " + unavailable() + ", unexpected " + unexpected.size()
                + ", connection errors " + connectionErrors + ", timeouts " + timeouts
                + ", resubmitted after a lost answer " + resubmittedAfterLostAnswer + ", slowest answer "
                + slowestAnswer().toMillis() + " ms";
    }

    static Optional<String> field(String json, String name) {
        try {
            JsonNode node = JSON.readTree(json).get(name);
            return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").path("code").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
