package dev.asyncocr.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.asyncocr.job.EventTypes;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.OcrOptions;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Instant FINISHED = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final OcrJob FAILED = new OcrJob("job-1", JobStatus.FAILED, OcrOptions.ALL, null, null, null,
            FINISHED.minusSeconds(2), FINISHED.minusSeconds(1), FINISHED, 1, null,
            new JobError(ErrorCode.IMAGE_UNDECODABLE, "corrupt", true), List.of(), null, null, null);

    @Test
    void aFailedJobMakesAFailedEventWhoseIdIsStable() throws Exception {
        CompletionEvents events = new CompletionEvents(URI.create("/ocr/eu-1"),
                "{\"extensions\":{\"cluster\":\"eu1\",\"tier\":2}}", WebhookSigner.of(List.of()), JSON);
        CloudEvent event = events.event(FAILED);
        assertEquals("dev.asyncocr.ocr.failed", event.getType());
        assertEquals("job-1", event.getSubject());
        assertEquals("/ocr/eu-1", event.getSource().toString());
        assertEquals(FINISHED, event.getTime().toInstant());
        assertEquals("eu1", event.getExtension("cluster"));
        assertEquals("2", event.getExtension("tier"));
        assertEquals(event.getId(), events.event(FAILED).getId(), "every send of one event has its id");
        assertEquals("IMAGE_UNDECODABLE", JSON.readTree(event.getData().toBytes()).at("/error/code").asText());
        assertNull(event.getExtension(EventTypes.TENANT), "a job submitted without authentication has no tenant");
    }

    @Test
    void aTenantsJobNamesItsTenantInTheEvent() {
        OcrJob owned = new OcrJob("job-2", JobStatus.FAILED, OcrOptions.ALL, null, null, null, FAILED.submittedAt(),
                FAILED.startedAt(), FINISHED, 1, null, FAILED.error(), List.of(), null, "acme", null);
        CloudEvent event = new CompletionEvents(URI.create("/s"), null, WebhookSigner.of(List.of()), JSON).event(owned);
        assertEquals("acme", event.getExtension("ocrtenant"));
    }

    @Test
    void anExpiredJobMakesAnExpiredEventWithItsStatus() throws Exception {
        OcrJob expired = new OcrJob("job-2", JobStatus.EXPIRED, OcrOptions.ALL, null, null, null,
                FINISHED.minusSeconds(2), null, FINISHED, 0, null,
                new JobError(ErrorCode.JOB_EXPIRED, "not started by its deadline", false), List.of(), null, null, null);
        CloudEvent event = new CompletionEvents(URI.create("/s"), null, WebhookSigner.of(List.of()), JSON).event(expired);
        assertEquals("dev.asyncocr.ocr.expired", event.getType());
        assertEquals("job-2.expired", event.getId());
        var data = JSON.readTree(event.getData().toBytes());
        assertEquals("JOB_EXPIRED", data.at("/error/code").asText());
        assertEquals("expired", data.get("status").asText());
        assertEquals("job-2", data.get("request_id").asText());
    }

    @Test
    void overridesThatKnativeWouldNotWriteAreRefusedAtStartUp() {
        for (String bad : List.of("{\"extensions\":", "{\"extensions\":[1]}", "{\"extensions\":{\"Bad-Name\":\"x\"}}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CompletionEvents(URI.create("/s"), bad, WebhookSigner.of(List.of()), JSON), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }
}
