package dev.asyncocr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.OcrJob;

/** A job record as the stores that keep text hold it: JSON, through the application's mapper. */
final class JobJson {

    private final ObjectMapper json;

    JobJson(ObjectMapper json) {
        this.json = json;
    }

    String encode(OcrJob job) {
        try {
            return json.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job " + job.id() + " as JSON", e);
        }
    }

    OcrJob decode(String text) {
        try {
            return json.readValue(text, OcrJob.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored job is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
