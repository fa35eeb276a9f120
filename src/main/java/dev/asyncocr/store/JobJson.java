package dev.asyncocr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.OcrJob;

/** Job and page records as the stores that keep text hold them: JSON, through the application's mapper. */
final class JobJson {

    private final ObjectMapper json;

    JobJson(ObjectMapper json) {
        this.json = json;
    }

    String encode(Object record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    OcrJob decode(String text) {
        return decode(text, OcrJob.class);
    }

    <T> T decode(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
