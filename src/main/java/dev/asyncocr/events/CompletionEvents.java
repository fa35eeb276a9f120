package dev.asyncocr.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.format.JobBodies;
import dev.asyncocr.format.PageEventBody;
import dev.asyncocr.job.Delivery;
import dev.asyncocr.job.EventTypes;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import jakarta.ws.rs.core.MediaType;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A finished job's completion event, or a document page's event, written as a signed HTTP request in CloudEvents
 * binary mode. The event is a function of the stored job (and the page's snapshot in its delivery) alone, so every send of it (retries, other replicas) carries
 * the same id and data; only the webhook timestamp and signature are of the moment.
 */
final class CompletionEvents {

    private final URI source;
    private final Map<String, String> extensions;
    private final WebhookSigner signer;
    private final ObjectMapper json;

    /**
     * @param ceOverrides Knative's {@code K_CE_OVERRIDES}: {@code {"extensions":{"name":"value"}}}, or null
     * @throws IllegalArgumentException overrides that are not such JSON, or not valid extension names
     */
    static final String TRACEPARENT = "traceparent";

    CompletionEvents(URI source, String ceOverrides, WebhookSigner signer, ObjectMapper json) {
        this.source = source;
        this.extensions = extensions(ceOverrides, json);
        this.signer = signer;
        this.json = json;
    }

    CloudEvent event(OcrJob job) {
        return event(job, job.id() + "." + job.status().wireName(), type(job.status()), job.finishedAt(),
                // the body a poll would show, less the deliveries: the event is itself one of them
                write(job, JobBodies.finalBody(job.withDeliveries(List.of()), false)));
    }

    /** The event {@code delivery} carries: its page's, or the job's completion event. */
    CloudEvent event(OcrJob job, Delivery delivery) {
        Delivery.PageEvent page = delivery.page();
        if (page == null) {
            return event(job);
        }
        return event(job, job.id() + ".page." + page.page() + "." + page.status().wireName(),
                EventTypes.PAGE_COMPLETED, page.finishedAt(), write(job, PageEventBody.of(job, page)));
    }

    private CloudEvent event(OcrJob job, String id, String type, Instant time, byte[] data) {
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(id)
                .withSource(source)
                .withType(type)
                .withSubject(job.id())
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withDataContentType(MediaType.APPLICATION_JSON)
                .withData(data);
        if (job.traceparent() != null) { // the distributed tracing extension: the trace the job was submitted in
            event.withExtension(TRACEPARENT, job.traceparent());
        }
        if (job.tenant() != null) { // so that a shared sink can route each tenant's events to it
            event.withExtension(EventTypes.TENANT, job.tenant());
        }
        extensions.forEach(event::withExtension);
        return event.build();
    }

    private static String type(JobStatus status) {
        return switch (status) {
            case SUCCEEDED, PARTIALLY_SUCCEEDED -> EventTypes.COMPLETED; // a partial success completes too
            case EXPIRED -> EventTypes.EXPIRED;
            default -> EventTypes.FAILED;
        };
    }

    /**
     * The event {@code delivery} carries as the headers and body of a POST, signed at {@code now}, with the sending
     * span's trace headers.
     */
    Request request(OcrJob job, Delivery delivery, Instant now, Map<String, String> traceHeaders) {
        CloudEvent event = event(job, delivery);
        Map<String, String> headers = new LinkedHashMap<>(traceHeaders);
        AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);
        HttpMessageFactory.createWriter(headers::put, body::set).writeBinary(event);
        long timestamp = now.getEpochSecond();
        headers.put(WebhookSigner.ID, event.getId());
        headers.put(WebhookSigner.TIMESTAMP, String.valueOf(timestamp));
        if (signer.signs()) {
            headers.put(WebhookSigner.SIGNATURE, signer.signature(event.getId(), timestamp, body.get()));
        }
        return new Request(headers, body.get());
    }

    /** An event written for HTTP: CloudEvents binary mode, webhook signature headers. */
    record Request(Map<String, String> headers, byte[] body) {
    }

    private byte[] write(OcrJob job, Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result of job " + job.id(), e);
        }
    }

    private static Map<String, String> extensions(String ceOverrides, ObjectMapper json) {
        Map<String, String> extensions = new LinkedHashMap<>();
        if (ceOverrides == null || ceOverrides.isBlank()) {
            return extensions;
        }
        String why = "ocr.callback.ce-overrides (K_CE_OVERRIDES) must be {\"extensions\":{\"name\":\"value\"}}";
        JsonNode given;
        try {
            given = json.readTree(ceOverrides).path("extensions");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(why + ", and is not JSON: " + e.getOriginalMessage());
        }
        if (!given.isObject()) {
            throw new IllegalArgumentException(why);
        }
        given.fields().forEachRemaining(field -> extensions.put(field.getKey(), field.getValue().asText()));
        try {
            CloudEventBuilder probe = CloudEventBuilder.v1(); // refuses names that are not lower-case alphanumerics
            extensions.forEach(probe::withExtension);
        } catch (CloudEventRWException e) {
            throw new IllegalArgumentException(why + ": " + e.getMessage());
        }
        return Map.copyOf(extensions);
    }
}
