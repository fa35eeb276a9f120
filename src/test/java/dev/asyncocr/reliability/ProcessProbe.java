package dev.asyncocr.reliability;

import dev.asyncocr.testing.PrometheusScrape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Resource figures of a running replica, for leak checks: live threads and heap used (the replica's own
 * Micrometer gauges, {@code jvm_threads_live_threads} and {@code jvm_memory_used_bytes{area="heap"}}, the
 * heap read right after a full collection that {@code jcmd <pid> GC.run} asks the replica for), and open
 * sockets (its {@code /proc/<pid>/fd} entries that are sockets: HTTP, AMQP, Redis connections and listeners),
 * and its resident memory ({@code VmRSS}: the native memory of ONNX Runtime and OpenCV is there, not in the
 * heap; reported, not checked, as the allocators keep what they once took).
 */
record ProcessProbe(double threads, double heapBytes, int sockets, long rssKiB) {

    /** Reads the replica whose metrics RestAssured points at, and whose process id is {@code pid}. */
    static ProcessProbe of(long pid) throws Exception {
        collectGarbage(pid);
        PrometheusScrape metrics = PrometheusScrape.now();
        return new ProcessProbe(metrics.value("jvm_threads_live_threads"),
                metrics.value("jvm_memory_used_bytes", "area=heap"), sockets(pid), rssKiB(pid));
    }

    double heapMiB() {
        return heapBytes / (1 << 20);
    }

    @Override
    public String toString() {
        return String.format("%.0f threads, heap after GC %.1f MiB, %d sockets, RSS %d MiB", threads, heapMiB(),
                sockets, rssKiB / 1024);
    }

    private static void collectGarbage(long pid) throws IOException, InterruptedException {
        Path java = Paths.get(ProcessHandle.current().info().command().orElse("java"));
        Path jcmd = java.resolveSibling("jcmd");
        Process process = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run failed");
        }
    }

    /** -1 where /proc is not there to read. */
    private static long rssKiB(long pid) throws IOException {
        Path status = Paths.get("/proc", String.valueOf(pid), "status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(-1);
    }

    /** -1 where /proc is not there to read. */
    private static int sockets(long pid) throws IOException {
        Path fds = Paths.get("/proc", String.valueOf(pid), "fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        int sockets = 0;
        try (Stream<Path> entries = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) entries::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        }
        return sockets;
    }
}
