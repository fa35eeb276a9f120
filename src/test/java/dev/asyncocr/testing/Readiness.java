package dev.asyncocr.testing;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/** Waiting for a process a test started (a replica, a Redis) to answer. */
public final class Readiness {

    private Readiness() {
    }

    /**
     * Polls {@code ready} until it holds; a check that throws counts as not yet (nothing listens yet). Fails
     * with the process's {@code log} when it exits first or {@code within} passes.
     */
    public static void awaitReady(String what, Process process, Duration within, Callable<Boolean> ready,
                                  Callable<String> log) {
        try {
            await(what + " ready").atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().failFast(what + " exited", () -> !process.isAlive()).until(ready);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            fail(e.getMessage() + "; its log: " + read(log), e);
        }
    }

    private static String read(Callable<String> log) {
        try {
            return log.call();
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }
}
