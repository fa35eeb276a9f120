package dev.asyncocr.api;

import dev.asyncocr.job.RequestIdLogging;
import dev.asyncocr.testing.CallbackProfile;
import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request id is in the logging MDC on every line about a job, on each side of the queue: the HTTP
 * thread that queues it, the worker that runs it, the sender of its completion event.
 */
@QuarkusTest
@TestProfile(CallbackProfile.class)
class RequestIdLoggingTest extends CallbackReceivers {


    /** A line as logged: its thread, its text and the MDC's request id. */
    record Line(String thread, String message, String requestId) {
    }

    @Test
    void everyLineAboutAJobCarriesItsRequestId() {
        List<Line> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext) {
                    lines.add(new Line(ext.getThreadName(), ext.getFormattedMessage(),
                            ext.getMdc(RequestIdLogging.KEY)));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.asyncocr");
        logger.addHandler(capture);
        String id;
        try {
            receiver.script("/logged", Reply.status(503)); // one retry: a line from the sender
            id = AsyncJobFlowContract.submit(TestImages.text("LOGGED 13").bytes(),
                    "?det=false&cls=false&callback_url=" + receiver.url("/logged"));
            receiver.await(EventReceiver.about(id), 2, Duration.ofSeconds(60));
        } finally {
            logger.removeHandler(capture);
        }
        String job = id;
        List<Line> about = lines.stream().filter(l -> l.message().contains(job)).toList();
        about.forEach(l -> assertEquals(job, l.requestId(), "no request id on: " + l));
        assertTrue(about.stream().anyMatch(l -> l.message().contains("queued")), "submission: " + about);
        assertTrue(about.stream().anyMatch(l -> l.thread().startsWith("ocr-worker")
                && l.message().contains("succeeded")), "worker: " + about);
        assertTrue(about.stream().anyMatch(l -> l.thread().startsWith("ocr-callbacks")
                && l.message().contains("not delivered")), "callback: " + about);
    }
}
