package dev.asyncocr.api;

import dev.asyncocr.testing.CallbackProfile;
import dev.asyncocr.testing.EventReceiver;
import dev.asyncocr.testing.EventReceiver.Received;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace per job, across the queue: the HTTP submission, the worker's span for the AMQP delivery with
 * a span per pipeline stage, and the completion event's send, whose CloudEvent and HTTP headers carry the
 * trace to the receiver.
 */
@QuarkusTest
@TestProfile(CallbackProfile.class)
class TracingTest extends CallbackReceivers {


    @Inject
    InMemorySpanExporter spans;

    @Test
    void oneTraceRunsFromTheSubmissionThroughInferenceToTheCallback() throws Exception {
        String id = AsyncJobFlowContract.submit(TestImages.page("TRACED 8").bytes(),
                "?callback_url=" + receiver.url("/traced"));
        Received event = receiver.await(EventReceiver.about(id), 1, Duration.ofSeconds(60)).get(0);

        Map<String, SpanData> byName = awaitSpans(id, List.of("POST /ocr/async", "process", "ocr decode", "ocr det",
                "ocr cls", "ocr rec", "completion event callback"));
        String traceId = byName.get("POST /ocr/async").getTraceId();
        byName.forEach((name, span) -> assertEquals(traceId, span.getTraceId(), name + " is in another trace"));
        SpanData processing = byName.get("process");
        assertEquals(SpanKind.CONSUMER, processing.getKind());
        for (String stage : List.of("ocr decode", "ocr det", "ocr cls", "ocr rec")) {
            assertEquals(processing.getSpanId(), byName.get(stage).getParentSpanId(), stage + " is under the delivery");
        }
        SpanData send = byName.get("completion event callback");
        assertEquals(SpanKind.CLIENT, send.getKind());
        assertTrue(event.header("ce-traceparent").contains(traceId), "the CloudEvent's traceparent extension");
        assertEquals("00-" + traceId + "-" + send.getSpanId() + "-01", event.header("traceparent"),
                "the HTTP request names the send's span");
    }

    /** The spans of the job's trace, by name (a span name ends with the key), once all have ended. */
    private Map<String, SpanData> awaitSpans(String requestId, List<String> names) {
        await("spans " + names + " of job " + requestId + " ended").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> spans(requestId, names).keySet(),
                        found -> found.containsAll(names));
        return spans(requestId, names);
    }

    /** The ended spans of the job's trace with one of the names, by name. */
    private Map<String, SpanData> spans(String requestId, List<String> names) {
        List<SpanData> ended = spans.getFinishedSpanItems();
        String traceId = ended.stream()
                .filter(s -> requestId.equals(s.getAttributes().get(
                        io.opentelemetry.api.common.AttributeKey.stringKey("ocr.request_id"))))
                .map(SpanData::getTraceId).findFirst().orElse(null);
        return ended.stream().filter(s -> s.getTraceId().equals(traceId))
                .filter(s -> names.stream().anyMatch(n -> s.getName().endsWith(n)))
                .collect(Collectors.toMap(s -> names.stream().filter(n -> s.getName().endsWith(n)).findFirst()
                        .orElseThrow(), Function.identity(), (a, b) -> a));
    }
}
