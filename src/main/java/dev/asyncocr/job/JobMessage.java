package dev.asyncocr.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.ocr.OcrOptions;

/**
 * What the queue carries for one job: small JSON, the image stays in the {@link JobStore}.
 *
 * @param attempt 1 for the first delivery; the broker's redeliveries keep it, {@link JobService} counts starts
 */
public record JobMessage(@JsonProperty("request_id") String requestId, int attempt, OcrOptions options) {
}
