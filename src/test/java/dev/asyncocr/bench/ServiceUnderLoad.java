package dev.asyncocr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.Sha256;
import dev.asyncocr.format.OcrResponse;
import dev.asyncocr.testing.RawHttp;
import dev.asyncocr.testing.Readiness;
import dev.asyncocr.testing.ServiceReplicas;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged service started as its own process with one worker configuration, driven by clients the
 * way the API is meant to be used: {@code POST /ocr/async}, then long polls of {@code GET /ocr/result/{id}}
 * until the job is final. Every row reports images/s, latency percentiles, the async path's own cost
 * ({@code extra}: a client's wall time less the job's pipeline time; {@code queue}: submission to a worker
 * starting it) and how the service's CPU time divided between the model sessions and everything around them.
 */
final class ServiceUnderLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_WITHIN = Duration.ofMinutes(3);
    private static final int FLOOR_SAMPLES = 200;
    /** The fair-share rows' two tenants' keys, and the settings that give the service those tenants. */
    private static final String KEY_A = "bench-key-a";
    private static final String KEY_B = "bench-key-b";
    static final Map<String, String> TENANTS = Map.of("ocr.auth.enabled", "true", "ocr.auth.api-keys",
            "tenant-a:" + Sha256.hex(KEY_A.getBytes(StandardCharsets.UTF_8)) + ",tenant-b:"
                    + Sha256.hex(KEY_B.getBytes(StandardCharsets.UTF_8)));
    /** The backlog's first jobs whose runs give the median job. */
    private static final int MEDIAN_OF = 20;

    private final Process process;
    private final URI base;
    /** The headers every request but the fair-share rows' tenant B's carries: tenant A's key where tenants are on. */
    private final String[] asDefault;

    /** Starts the service with {@code settings} as system properties and waits until it is ready. */
    ServiceUnderLoad(Path jar, Map<String, String> settings, Path log) throws Exception {
        int port = ServiceReplicas.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.port=" + port);
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        base = URI.create("http://127.0.0.1:" + port);
        asDefault = "true".equals(settings.get("ocr.auth.enabled")) ? new String[]{"Authorization: Bearer " + KEY_A}
                : new String[0];
        Readiness.awaitReady("the service", process, START_WITHIN, () -> get("/q/health/ready").status() == 200,
                () -> Files.readString(log));
    }

    /** Each image once, one at a time: the JIT, the sessions' first shapes, the connections. */
    void warmUp(List<byte[]> images) throws Exception {
        try (RawHttp connection = connect()) {
            for (byte[] image : images) {
                read(connection, image, asDefault);
            }
        }
    }

    /**
     * What one HTTP exchange costs on this machine with this client, the floor under the async path's two
     * (a submission and a poll): the p50 of polls for an unknown job, which go through the same stack.
     */
    double httpExchangeMs() throws Exception {
        Latencies exchanges = new Latencies(FLOOR_SAMPLES);
        try (RawHttp connection = connect()) {
            for (int i = 0; i < FLOOR_SAMPLES; i++) {
                Thread.sleep(5); // idle in between, as a lone client's service is
                long t = System.nanoTime();
                connection.head("GET /ocr/result/no-such-job HTTP/1.1", asDefault);
                if (connection.read().status() != 404) {
                    throw new IllegalStateException("a poll for an unknown job did not answer 404");
                }
                exchanges.add((System.nanoTime() - t) / 1e6);
            }
        }
        return Latencies.round(exchanges.percentile(0.50));
    }

    /** {@code jobs} jobs over the images by {@code clients} clients at once. */
    Map<String, Object> load(List<byte[]> images, int jobs, int clients) throws Exception {
        Latencies latencies = new Latencies(jobs);
        Latencies extra = new Latencies(jobs);
        Latencies queued = new Latencies(jobs);
        double cpuBefore = ProcessStats.cpuSeconds(process.pid());
        double modelBefore = metric("ocr_model_inference_cpu_seconds_total");
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    try (RawHttp connection = connect()) {
                        for (int job = next.getAndIncrement(); job < jobs; job = next.getAndIncrement()) {
                            long t = System.nanoTime();
                            JsonNode timings = read(connection, images.get(job % images.size()), asDefault);
                            double wallMs = (System.nanoTime() - t) / 1e6;
                            latencies.add(wallMs);
                            extra.add(wallMs - timings.path("total").asDouble());
                            queued.add(timings.path("queue").asDouble());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = ProcessStats.cpuSeconds(process.pid()) - cpuBefore;
        double model = metric("ocr_model_inference_cpu_seconds_total") - modelBefore;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("clients", clients);
        row.putAll(latencies.summary(seconds));
        row.put("extra_p50_ms", Latencies.round(extra.percentile(0.50)));
        row.put("extra_p95_ms", Latencies.round(extra.percentile(0.95)));
        row.put("queue_p50_ms", Latencies.round(queued.percentile(0.50)));
        row.put("cpu_s", Latencies.round(cpu));
        row.put("outside_model_cpu_share", Math.round((1 - model / cpu) * 1000) / 1000.0);
        return row;
    }

    /**
     * Scheduling, on a queue of {@code lowJobs} low-priority jobs submitted at once: how long one high-priority job
     * submitted behind them waits for a worker, against the median job's run; and how far each low job's
     * estimated start (its submission's answer) was from its actual start, as a fraction of its actual wait.
     */
    Map<String, Object> scheduling(List<byte[]> images, int lowJobs) throws Exception {
        Latencies runs = new Latencies(lowJobs);
        Latencies etaErrors = new Latencies(lowJobs);
        Map<String, Object> row = new LinkedHashMap<>();
        try (RawHttp connection = connect()) {
            List<String> ids = new ArrayList<>();
            List<Double> estimatedWaits = new ArrayList<>();
            for (int i = 0; i < lowJobs; i++) {
                JsonNode accepted = submit(connection, images.get(i % images.size()), "application/octet-stream",
                        "?priority=low");
                ids.add(accepted.path("request_id").asText());
                estimatedWaits.add((double) Duration.between(Instant.now(),
                        Instant.parse(accepted.path("estimated_start_at").asText())).toMillis());
            }
            JsonNode high = awaitResult(connection, submit(connection, images.get(0), "application/octet-stream",
                    "?priority=high").path("request_id").asText()).path("timings_ms");
            for (int i = 0; i < lowJobs; i++) {
                JsonNode timings = awaitResult(connection, ids.get(i)).path("timings_ms");
                double waited = timings.path(OcrResponse.QUEUE).asDouble();
                runs.add(timings.path("total").asDouble());
                etaErrors.add(Math.abs(estimatedWaits.get(i) - waited) / Math.max(waited, 1));
            }
            double median = runs.percentile(0.50);
            row.put("low_jobs", lowJobs);
            row.put("median_job_ms", Latencies.round(median));
            row.put("high_wait_ms", Latencies.round(high.path(OcrResponse.QUEUE).asDouble()));
            row.put("high_wait_over_median_job", Latencies.round(high.path(OcrResponse.QUEUE).asDouble() / median));
            row.put("eta_abs_error_p50", Latencies.round(etaErrors.percentile(0.50)));
            row.put("eta_abs_error_p95", Latencies.round(etaErrors.percentile(0.95)));
        }
        return row;
    }

    /**
     * Fair share, on a backlog of {@code backlog} jobs tenant A submits at once: how long one job tenant B submits
     * behind them waits for a worker, against the median job's run (of A's first jobs). A's jobs still queued then
     * are cancelled, so that the next row starts on an empty queue.
     */
    Map<String, Object> fairShare(List<byte[]> images, int backlog) throws Exception {
        String asB = "Authorization: Bearer " + KEY_B;
        Map<String, Object> row = new LinkedHashMap<>();
        try (RawHttp connection = connect()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                ids.add(submit(connection, images.get(i % images.size()), "application/octet-stream", "", asDefault)
                        .path("request_id").asText());
            }
            double waited = awaitResult(connection, submit(connection, images.get(0), "application/octet-stream", "",
                    asB).path("request_id").asText(), asB).path("timings_ms").path(OcrResponse.QUEUE).asDouble();
            Latencies runs = new Latencies(MEDIAN_OF);
            for (String id : ids.subList(0, Math.min(MEDIAN_OF, backlog))) {
                runs.add(awaitResult(connection, id, asDefault).path("timings_ms").path("total").asDouble());
            }
            for (String id : ids) {
                connection.head("DELETE /ocr/result/" + id + " HTTP/1.1", asDefault); // 200, or 409 once it finished
                connection.read();
            }
            double median = runs.percentile(0.50);
            row.put("backlog_jobs", backlog);
            row.put("median_job_ms", Latencies.round(median));
            row.put("b_wait_ms", Latencies.round(waited));
            row.put("b_wait_over_median_job", Latencies.round(waited / median));
        }
        return row;
    }

    /** Resident memory of the service process and its heap in use, from its own metrics. */
    Map<String, Object> memory() throws Exception {
        return ProcessStats.memory(ProcessStats.rssMb(process.pid()),
                metric("jvm_memory_used_bytes{area=\"heap\"") / 1048576.0);
    }

    /**
     * A client's own keep-alive connection. Bare, so that the figures are the service's: on the 2-core
     * machine the JDK's HttpClient adds about 3 ms to each exchange with its own threads.
     */
    private RawHttp connect() throws IOException {
        return new RawHttp(base.toURL());
    }

    /** One GET on a connection of its own. */
    private RawHttp.Reply get(String path) throws IOException {
        try (RawHttp connection = connect()) {
            connection.head("GET " + path + " HTTP/1.1");
            return connection.read();
        }
    }

    /** Submits one image and long-polls its result; answers the job's {@code timings_ms}. */
    private static JsonNode read(RawHttp connection, byte[] image, String... headers) throws Exception {
        return awaitResult(connection, submit(connection, image, "application/octet-stream", "", headers)
                .path("request_id").asText(), headers).path("timings_ms");
    }

    /**
     * Submits a PDF to be read by OCR on every page (its text layer, which a generated PDF has, aside) and long-polls
     * it until it is final; answers the seconds from submission to its result.
     */
    double readDocument(byte[] pdf) throws Exception {
        try (RawHttp connection = connect()) {
            long start = System.nanoTime();
            JsonNode result = awaitResult(connection,
                    submit(connection, pdf, "application/pdf", "?text_layer=ocr").path("request_id").asText());
            if (!"succeeded".equals(result.path("status").asText())) {
                throw new IllegalStateException("the document ended " + result.path("status"));
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Submits a body with {@code query} and any further headers; answers the 202's body. */
    private static JsonNode submit(RawHttp connection, byte[] body, String contentType, String query,
                                   String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("Content-Type: " + contentType));
        all.addAll(List.of(headers));
        connection.request("POST /ocr/async" + query + " HTTP/1.1", body, all.toArray(String[]::new));
        RawHttp.Reply submitted = connection.read();
        if (submitted.status() != 202) {
            throw new IllegalStateException("submission answered " + submitted.status() + ": " + submitted.body());
        }
        return JSON.readTree(submitted.body());
    }

    /** Long-polls a job until it is final, with any further headers; answers its result. */
    private static JsonNode awaitResult(RawHttp connection, String id, String... headers) throws Exception {
        String result = "/ocr/result/" + id + "?wait=30";
        while (true) {
            connection.head("GET " + result + " HTTP/1.1", headers);
            RawHttp.Reply polled = connection.read();
            if (polled.status() == 200) {
                return JSON.readTree(polled.body());
            }
            if (polled.status() != 202) {
                throw new IllegalStateException("the job ended with " + polled.status() + ": " + polled.body());
            }
        }
    }

    /** The sum of every series of a Prometheus metric whose line starts with {@code prefix}. */
    private double metric(String prefix) throws Exception {
        String text = get("/q/metrics").body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                String sample = line.split(" # ", 2)[0]; // without the exemplar that may follow
                sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
