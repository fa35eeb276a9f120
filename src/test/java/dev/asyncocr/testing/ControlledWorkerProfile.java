package dev.asyncocr.testing;

import dev.asyncocr.worker.ControlledRecognizer;
import dev.asyncocr.worker.ProbedModels;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The service on its embedded defaults (in-process Artemis, in-memory store) with a worker the tests
 * can hold and break, and predictors that count how many inferences run at once.
 */
public class ControlledWorkerProfile implements QuarkusTestProfile {

    public static final int CONCURRENCY = 3;
    public static final int MAX_DEPTH = 210;
    public static final int MAX_ATTEMPTS = 3;
    /** The longest a long poll waits: room for many polls to gather and a held page to run on a loaded machine. */
    public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration STUCK_TIMEOUT = Duration.ofSeconds(2);
    /** Long enough for a test of the lanes' order to run before its low job is due, short enough to wait out. */
    public static final Duration MAX_LOW_WAIT = Duration.ofSeconds(20);
    /** Quarkus's worker threads, few enough that long polls holding them would starve everything else. */
    public static final int WORKER_THREADS = 16;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ocr.worker.concurrency", String.valueOf(CONCURRENCY),
                "ocr.worker.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "ocr.queue.max-depth", String.valueOf(MAX_DEPTH),
                "ocr.api.sync-timeout", SYNC_TIMEOUT.toSeconds() + "s",
                "ocr.worker.stuck-timeout", STUCK_TIMEOUT.toSeconds() + "s",
                "ocr.queue.max-low-wait", MAX_LOW_WAIT.toSeconds() + "s",
                "quarkus.thread-pool.max-threads", String.valueOf(WORKER_THREADS));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ControlledRecognizer.class, ProbedModels.class);
    }
}
