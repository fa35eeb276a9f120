package dev.asyncocr.reliability;

import dev.asyncocr.testing.Readiness;
import dev.asyncocr.testing.ServiceReplicas;
import dev.asyncocr.testing.SharedData;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis of a test's own (a {@code redis-server} process on a free port of 127.0.0.1, in a temporary
 * directory), persisting every write before it answers ({@code appendonly yes}, {@code appendfsync always},
 * no snapshots). {@link #crash()} kills it (SIGKILL, as a crash would); {@link #start()} starts it again on
 * the same port and directory, where it reloads its append-only file. {@link #close()} kills it and deletes
 * the directory. The machine's own Redis is never touched.
 */
final class PersistentRedis implements AutoCloseable {

    private static final Duration START_WITHIN = Duration.ofSeconds(30);

    private final int port = ServiceReplicas.freePort();
    private final Path dir;
    private Process process;

    private PersistentRedis(Path dir) {
        this.dir = dir;
    }

    /** Starts one; skips the test (fails it on CI) when {@code redis-server} is not on the PATH. */
    static PersistentRedis start(String name) throws IOException, InterruptedException {
        if (!LocalServiceControl.onPath("redis-server")) {
            SharedData.skipOutsideCi("redis-server is not on the PATH: this test runs a Redis of its own");
        }
        PersistentRedis redis = new PersistentRedis(Files.createTempDirectory(name));
        try {
            redis.start();
        } catch (IOException | RuntimeException | AssertionError e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    /** Where the service finds it ({@code quarkus.redis.hosts}). */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Starts the server (again, after {@link #crash()}) and returns once it answers PING, its data loaded. */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Redis on port " + port + " runs already");
        }
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
        process.getOutputStream().close();
        // a Redis loading its file answers -LOADING, not +PONG
        Readiness.awaitReady("Redis on port " + port, process, START_WITHIN, this::answersPing, this::log);
    }

    /** Kills the server at once (SIGKILL): no shutdown, nothing flushed beyond what each write already was. */
    void crash() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Its log so far, or why there is none. */
    String log() {
        try {
            return Files.readString(dir.resolve("redis.log")) + Files.readString(dir.resolve("redis.out"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        crash();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int read = 0;
            while (read < answer.length) {
                int n = in.read(answer, read, answer.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(answer, 0, read, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }
}
