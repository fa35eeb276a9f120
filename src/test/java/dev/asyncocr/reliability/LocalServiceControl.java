package dev.asyncocr.reliability;

import dev.asyncocr.testing.RabbitRedisProfile;
import dev.asyncocr.testing.SharedData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Stops and starts the machine's RabbitMQ (as `.ci/run` runs it) for the broker outage test, which restores
 * it in a {@code finally}: {@link #restoreRabbitMq()} brings it back whatever state it was left in, and
 * checks it answers again. (The store outage test runs a Redis of its own: {@link PersistentRedis}.)
 */
final class LocalServiceControl {

    private static final Duration COMMAND_WITHIN = Duration.ofSeconds(120);
    private static final String AMQP_PLUGIN = "rabbitmq_amqp1_0";

    private LocalServiceControl() {
    }

    /** Skips (fails on CI) unless the tools to stop and start RabbitMQ are here. */
    static void requireControl() {
        for (String tool : List.of("rabbitmqctl", "rabbitmq-plugins")) {
            if (!onPath(tool)) {
                SharedData.skipOutsideCi(tool + " is not on the PATH: this test stops and starts the local RabbitMQ");
            }
        }
    }

    static boolean onPath(String tool) {
        return succeeds(List.of("sh", "-c", "command -v " + tool));
    }

    /** Stops the RabbitMQ application (the Erlang node stays up): its port closes, connections drop. */
    static void stopRabbitMq() throws Exception {
        run(List.of("rabbitmqctl", "-q", "stop_app"));
    }

    static void startRabbitMq() throws Exception {
        run(List.of("rabbitmqctl", "-q", "start_app"));
        awaitPort(RabbitRedisProfile.RABBITMQ_PORT, Duration.ofSeconds(60));
    }

    /** Whatever happened: the node and its application running, the AMQP 1.0 plugin enabled, the port open. */
    static void restoreRabbitMq() throws Exception {
        if (!succeeds(List.of("rabbitmqctl", "-q", "status"))) {
            run(List.of("rabbitmq-server", "-detached"));
            run(List.of("rabbitmqctl", "-q", "await_startup", "--timeout", "120"));
        }
        if (!portOpen(RabbitRedisProfile.RABBITMQ_PORT)) {
            run(List.of("rabbitmqctl", "-q", "start_app"));
        }
        if (!succeeds(List.of("rabbitmq-plugins", "-q", "is_enabled", AMQP_PLUGIN))) {
            run(List.of("rabbitmq-plugins", "-q", "enable", AMQP_PLUGIN));
        }
        awaitPort(RabbitRedisProfile.RABBITMQ_PORT, Duration.ofSeconds(60));
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitPort(int port, Duration within) {
        await("a listener on port " + port).atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> portOpen(port));
    }

    private static boolean succeeds(List<String> command) {
        try {
            run(command);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs a command to its end; its output, or an exception when it fails or takes too long. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(COMMAND_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " took longer than " + COMMAND_WITHIN);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited with " + process.exitValue() + ": " + output);
        }
        return output;
    }
}
