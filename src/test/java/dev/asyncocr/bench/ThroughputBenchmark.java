package dev.asyncocr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.asyncocr.eval.Benchmark;
import dev.asyncocr.messaging.BrokerEndpoint;
import dev.asyncocr.messaging.BrokerHop;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.testing.ServiceReplicas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Throughput side by side, in one run on one machine: the pipeline called directly one image at a time,
 * the packaged service under 1 to 32 concurrent clients with micro-batching off and on, and the peer
 * RapidOCR-Java on the same images with the same thread budget. Each runs in its own process, so that
 * its memory is its own. Prints a table and writes the JSON report. A measurement, not a test.
 *
 * <pre>
 * ThroughputBenchmark [--rounds N] [--clients 1,2,4,8,16,32] [--threads T] [--batch B] [--det-size S]
 *                     [--peer-max-side N] [--production | --stores] [--scheduling N | --fair-share N,...]
 *                     [--jar PATH] [--json FILE] FOLDER...
 * ThroughputBenchmark --documents [--pages N] [--threads T] [--det-size S] [--peer-max-side N] [--jar PATH] [--json FILE]
 * </pre>
 * The thread budget T (default: the cores) is the peer's thread count, the direct pipeline's intra-op
 * threads, and the service's parallel inferences (T workers of one thread each; batched, T batches of up
 * to B jobs at once). {@code --production} runs the service on RabbitMQ and Redis on this machine
 * instead of its embedded broker and file store. {@code --stores} runs only the service, batching off,
 * once on each {@link Shape}, to compare what the stores and brokers add to a job's time. {@code --scheduling N}
 * runs only the service, batching off, on N low-priority jobs queued at once and one high-priority job behind
 * them: the high job's wait against the median job's run, and the error of the queued jobs' estimated starts.
 * {@code --fair-share N,...} runs only the service, batching off, with two tenants, fair share off and then on: for
 * each backlog of N jobs queued by one tenant, how long one job of the other tenant submitted behind them waits.
 * {@code --documents} reads one PDF end to end instead ({@link DocumentBenchmark}).
 */
public final class ThroughputBenchmark {

    private static final int REFERENCE_CLIENTS = 8;

    private ThroughputBenchmark() {
    }

    /** Where the service keeps its jobs and messages. */
    enum Shape {
        MEMORY("embedded broker + memory store"),
        FILE("embedded broker + file store"),
        PRODUCTION("RabbitMQ + Redis");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    record Settings(int rounds, List<Integer> clients, int threads, int batch, DetectionSize detection,
                    int peerMaxSide, List<Shape> shapes, int schedulingJobs, List<Integer> fairShareBacklogs, Path jar,
                    Path json, List<Path> folders, boolean documents, int pages) {

        static Settings parse(String[] args) {
            int rounds = 2;
            List<Integer> clients = List.of(1, 2, 4, 8, 16, 32);
            int threads = Runtime.getRuntime().availableProcessors();
            int batch = 4;
            DetectionSize detection = DetectionSize.DEFAULT;
            int peerMaxSide = 0;
            List<Shape> shapes = List.of(Shape.FILE);
            int schedulingJobs = 0;
            List<Integer> fairShareBacklogs = List.of();
            Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
            Path json = null;
            List<Path> folders = new ArrayList<>();
            boolean documents = false;
            int pages = 20;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--clients" -> clients = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                    case "--threads" -> threads = Integer.parseInt(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--det-size" -> detection = DetectionSize.parse(args[++i]);
                    case "--peer-max-side" -> peerMaxSide = Integer.parseInt(args[++i]);
                    case "--production" -> shapes = List.of(Shape.PRODUCTION);
                    case "--stores" -> shapes = List.of(Shape.values());
                    case "--scheduling" -> schedulingJobs = Integer.parseInt(args[++i]);
                    case "--fair-share" -> fairShareBacklogs = Arrays.stream(args[++i].split(",")).map(Integer::valueOf)
                            .toList();
                    case "--jar" -> jar = Path.of(args[++i]);
                    case "--json" -> json = Path.of(args[++i]);
                    case "--documents" -> documents = true;
                    case "--pages" -> pages = Integer.parseInt(args[++i]);
                    default -> folders.add(Path.of(args[i]));
                }
            }
            if (json == null) {
                json = Path.of("bench/results/" + (documents ? "documents-" : "throughput-")
                        + Instant.now().toString().substring(0, 10) + ".json");
            }
            if ((folders.isEmpty() && !documents) || pages < 1 || rounds < 1 || threads < 1 || batch < 2 || !Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("Usage: ThroughputBenchmark [--rounds N] [--clients 1,2,4,8,16,32]"
                        + " [--threads T] [--batch B >= 2] [--det-size min:N|max:N|text:N] [--peer-max-side N] [--production | --stores]"
                        + " [--scheduling N | --fair-share N,...] [--jar PATH (packaged: ./mvnw package)] [--json FILE] FOLDER..."
                        + " | --documents [--pages N]");
            }
            return new Settings(rounds, clients, threads, batch, detection, peerMaxSide, shapes, schedulingJobs,
                    fairShareBacklogs, jar, json, List.copyOf(folders), documents, pages);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Path logs = Files.createDirectories(Path.of("target/bench"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_at", Instant.now().toString());
        report.put("machine", machine());
        if (settings.documents()) {
            report.put("thread_budget", settings.threads());
            report.put("detection_size", settings.detection().toString());
            DocumentBenchmark.run(settings, logs, report);
            write(settings, report);
            return;
        }
        List<byte[]> images = Benchmark.images(settings.folders());
        report.put("images", images.size());
        report.put("folders", settings.folders().stream().map(Path::toString).toList());
        report.put("rounds", settings.rounds());
        report.put("thread_budget", settings.threads());
        report.put("detection_size", settings.detection().toString());
        report.put("peer_max_side_len", settings.peerMaxSide());
        report.put("store_and_broker", settings.shapes().stream().map(shape -> shape.label).toList());
        if (settings.shapes().size() > 1) {
            compareShapes(settings, images, logs, report);
            return;
        }
        if (settings.schedulingJobs() > 0) {
            report.put("scheduling", service(settings, settings.shapes().get(0), images, 1, logs));
            write(settings, report);
            return;
        }
        if (!settings.fairShareBacklogs().isEmpty()) {
            report.put("fair_share", List.of(service(settings, settings.shapes().get(0), images, 1, logs, false),
                    service(settings, settings.shapes().get(0), images, 1, logs, true)));
            write(settings, report);
            return;
        }

        String folders = String.join(" ", settings.folders().stream().map(Path::toString).toList());
        System.out.printf("%d images x %d rounds, thread budget %d, detection %s, peer max side %d%n", images.size(),
                settings.rounds(), settings.threads(), settings.detection(), settings.peerMaxSide());
        Map<String, Object> direct = child(DirectRow.class, logs.resolve("direct.log"), settings.rounds() + " "
                + settings.threads() + " " + settings.detection() + " " + folders);
        report.put("direct", direct);
        print("direct pipeline, 1 at a time", direct);
        Map<String, Object> peer = child(PeerRow.class, logs.resolve("peer.log"), settings.rounds() + " "
                + settings.threads() + " " + settings.peerMaxSide() + " " + folders);
        report.put("peer", peer);
        print("peer RapidOCR-Java, 1 at a time", peer);

        Shape shape = settings.shapes().get(0);
        Map<String, Object> unbatched = service(settings, shape, images, 1, logs);
        Map<String, Object> batched = service(settings, shape, images, settings.batch(), logs);
        report.put("service", List.of(unbatched, batched));

        double peerRate = (double) peer.get("images_per_s");
        double ours = rateAt(unbatched, REFERENCE_CLIENTS);
        double oursBatched = rateAt(batched, REFERENCE_CLIENTS);
        report.put("ratio_vs_peer", Latencies.round(Math.max(ours, oursBatched) / peerRate));
        report.put("ratio_vs_peer_unbatched", Latencies.round(ours / peerRate));
        report.put("ratio_vs_peer_batched", Latencies.round(oursBatched / peerRate));
        report.put("ratio_batched_vs_unbatched", Latencies.round(oursBatched / ours));
        report.put("ratio_service_vs_direct", Latencies.round(Math.max(ours, oursBatched)
                / (double) direct.get("images_per_s")));
        System.out.printf("%nat %d clients: ours/peer %.2f (batching off %.2f, on %.2f); batched/unbatched %.2f%n",
                REFERENCE_CLIENTS, report.get("ratio_vs_peer"), report.get("ratio_vs_peer_unbatched"),
                report.get("ratio_vs_peer_batched"), report.get("ratio_batched_vs_unbatched"));
        System.out.printf("pre/post-processing: %.1f%% of the direct pipeline's CPU%n",
                100 * (double) direct.get("pre_post_cpu_share"));

        write(settings, report);
    }

    /**
     * The service, batching off, on each shape in turn; at the first client count, what the file store adds
     * to {@code extra} over the memory store, and RabbitMQ + Redis's {@code extra} over the file store's.
     */
    private static void compareShapes(Settings settings, List<byte[]> images, Path logs, Map<String, Object> report)
            throws Exception {
        Map<Shape, Double> extra = new LinkedHashMap<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Shape shape : settings.shapes()) {
            Map<String, Object> run = service(settings, shape, images, 1, logs);
            run.put("shape", shape.label);
            runs.add(run);
            extra.put(shape, (double) firstRow(run).get("extra_p50_ms"));
        }
        report.put("service", runs);
        int clients = settings.clients().get(0);
        report.put("file_over_memory_extra_ms", Latencies.round(extra.get(Shape.FILE) - extra.get(Shape.MEMORY)));
        report.put("production_over_file_extra", Latencies.round(extra.get(Shape.PRODUCTION) / extra.get(Shape.FILE)));
        System.out.printf("%nextra p50 at %d client(s): memory %.1f ms, file %.1f ms (%+.1f ms), RabbitMQ + Redis %.1f ms "
                        + "(%.2fx the file store's)%n", clients, extra.get(Shape.MEMORY), extra.get(Shape.FILE),
                report.get("file_over_memory_extra_ms"), extra.get(Shape.PRODUCTION),
                report.get("production_over_file_extra"));
        write(settings, report);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstRow(Map<String, Object> run) {
        return ((List<Map<String, Object>>) run.get("rows")).get(0);
    }

    private static void write(Settings settings, Map<String, Object> report) throws IOException {
        Files.createDirectories(settings.json().toAbsolutePath().getParent());
        Files.writeString(settings.json(), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report) + "\n");
        System.out.println("report: " + settings.json());
    }

    /** The service on {@code shape} with {@code maxBatch} (1: off) under each client count in turn. */
    private static Map<String, Object> service(Settings settings, Shape shape, List<byte[]> images, int maxBatch,
                                               Path logs) throws Exception {
        return service(settings, shape, images, maxBatch, logs, false);
    }

    /** @param fairShare with tenants, whether each has queues of its own (the fair-share rows only) */
    private static Map<String, Object> service(Settings settings, Shape shape, List<byte[]> images, int maxBatch,
                                               Path logs, boolean fairShare) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        if (!settings.fairShareBacklogs().isEmpty()) {
            config.putAll(ServiceUnderLoad.TENANTS);
            config.put("ocr.tenant.fair-share", Boolean.toString(fairShare));
        }
        config.put("ocr.worker.concurrency", Integer.toString(settings.threads() * maxBatch));
        config.put("ocr.worker.max-batch", Integer.toString(maxBatch));
        config.put("ocr.engine.intra-op-threads", "1");
        config.put("ocr.detection.size", settings.detection().toString());
        config.put("ocr.queue.max-depth", "100000");
        BrokerEndpoint broker;
        if (shape == Shape.PRODUCTION) {
            config.put("ocr.queue.url", "amqp://guest:guest@127.0.0.1:5672");
            config.put("ocr.queue.address", "/queue/ocr-bench");
            config.put("ocr.store.type", "redis");
            config.put("ocr.store.redis-key-prefix", "async-ocr-bench:");
            broker = new BrokerEndpoint("127.0.0.1", 5672, false, "guest", "guest");
        } else {
            int port = ServiceReplicas.freePort();
            config.put("ocr.queue.embedded-port", Integer.toString(port));
            config.put("ocr.store.type", shape.name().toLowerCase(Locale.ROOT));
            if (shape == Shape.FILE) {
                config.put("ocr.data-dir", Files.createTempDirectory(logs, "data-").toString());
            }
            broker = new BrokerEndpoint("127.0.0.1", port, false, null, null);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("micro_batching", maxBatch > 1);
        run.put("config", config);
        String label = shape.label + (maxBatch > 1 ? ", batches of up to " + maxBatch : ", batching off")
                + (settings.fairShareBacklogs().isEmpty() ? "" : ", fair share " + (fairShare ? "on" : "off"));
        Path log = logs.resolve("service-" + shape.name().toLowerCase(Locale.ROOT) + "-batch-" + maxBatch
                + (fairShare ? "-fair" : "") + ".log");
        try (ServiceUnderLoad service = new ServiceUnderLoad(settings.jar(), config, log)) {
            service.warmUp(images);
            Map<String, Object> afterWarmUp = service.memory();
            // the floors under the async path, on the same machine, stack and broker
            double exchange = service.httpExchangeMs();
            BrokerHop hop = BrokerHop.measure(broker, (shape == Shape.PRODUCTION ? "/queue/" : "") + "ocr-bench-floor");
            run.put("http_exchange_p50_ms", exchange);
            run.put("amqp_accepted_p50_ms", Latencies.round(hop.acceptedP50Ms()));
            run.put("amqp_arrived_p50_ms", Latencies.round(hop.arrivedP50Ms()));
            System.out.printf("%s: one HTTP exchange (a 404 poll) p50 %.1f ms; a bare message to the broker: "
                    + "accepted p50 %.1f ms, at a consumer p50 %.1f ms%n", label, exchange, hop.acceptedP50Ms(),
                    hop.arrivedP50Ms());
            if (settings.schedulingJobs() > 0) {
                Map<String, Object> row = service.scheduling(images, settings.schedulingJobs());
                run.put("rows", List.of(row));
                System.out.printf("%s: behind %d low jobs a high job waited %.0f ms, %.2fx the median job's %.0f ms;"
                        + " estimated starts off by %.0f%% (p50), %.0f%% (p95)%n", label, row.get("low_jobs"),
                        row.get("high_wait_ms"), row.get("high_wait_over_median_job"), row.get("median_job_ms"),
                        100 * (double) row.get("eta_abs_error_p50"), 100 * (double) row.get("eta_abs_error_p95"));
                return run;
            }
            if (!settings.fairShareBacklogs().isEmpty()) {
                run.put("fair_share", fairShare);
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int backlog : settings.fairShareBacklogs()) {
                    Map<String, Object> row = service.fairShare(images, backlog);
                    rows.add(row);
                    System.out.printf("%s: behind tenant A's %d queued jobs tenant B's job waited %.0f ms, %.2fx the "
                                    + "median job's %.0f ms%n", label, backlog, row.get("b_wait_ms"),
                            row.get("b_wait_over_median_job"), row.get("median_job_ms"));
                }
                run.put("rows", rows);
                return run;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int clients : settings.clients()) {
                Map<String, Object> row = service.load(images, images.size() * settings.rounds(), clients);
                rows.add(row);
                print(label + ", " + clients + " clients", row);
            }
            run.put("rows", rows);
            run.put("memory", Map.of("after_warm_up", afterWarmUp, "after_run", service.memory()));
        }
        return run;
    }

    @SuppressWarnings("unchecked")
    private static double rateAt(Map<String, Object> service, int clients) {
        return ((List<Map<String, Object>>) service.get("rows")).stream()
                .filter(row -> (int) row.get("clients") == clients).mapToDouble(row -> (double) row.get("images_per_s"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("--clients must include " + clients));
    }

    /** Runs a row's class in a JVM of its own on this classpath; answers the row it prints. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> child(Class<?> row, Path log, String arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), row.getName()));
        command.addAll(Arrays.asList(arguments.split(" ")));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(row.getSimpleName() + " failed; its log: " + log);
        }
        String line = out.lines().filter(l -> l.startsWith(SequentialRow.PREFIX)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(row.getSimpleName() + " printed no row; log: " + log));
        return new ObjectMapper().readValue(line.substring(SequentialRow.PREFIX.length()), LinkedHashMap.class);
    }

    private static void print(String label, Map<String, Object> row) {
        System.out.printf("%-44s %7.2f img/s  p50 %8.1f  p95 %8.1f  p99 %8.1f ms%s%n", label, row.get("images_per_s"),
                row.get("p50_ms"), row.get("p95_ms"), row.get("p99_ms"),
                row.containsKey("extra_p50_ms") ? String.format("  extra p50 %.1f ms, outside models %.0f%% of CPU",
                        row.get("extra_p50_ms"), 100 * (double) row.get("outside_model_cpu_share")) : "");
    }

    private static Map<String, Object> machine() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        try (Stream<String> cpu = Files.lines(Path.of("/proc/cpuinfo"))) {
            machine.put("cpu", cpu.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 2))
                    .findFirst().orElse("unknown"));
        }
        try (Stream<String> mem = Files.lines(Path.of("/proc/meminfo"))) {
            machine.put("memory_gib", mem.filter(l -> l.startsWith("MemTotal")).map(l -> l.replaceAll("\\D", ""))
                    .map(kb -> Math.round(Long.parseLong(kb) / 1048576.0)).findFirst().orElse(0L));
        }
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("gpu", "none");
        return machine;
    }
}
