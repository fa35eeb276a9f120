package dev.asyncocr.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.ocr.OcrOptions;

/**
 * What the queue carries for one job, or for one page of a document job: small JSON, the image (or the page's
 * part) stays in the {@link JobStore}.
 *
 * @param attempt 1 for the first delivery; the broker's redeliveries keep it, {@link JobService} counts starts
 * @param page    the page of a document job this message runs (in the document's numbering); null for an image
 * @param version the message format: {@value #VERSION} for this build's, 0 (absent) for format 1, which had
 *                images only; a replica meeting a newer format hands the message back for a newer replica
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMessage(@JsonProperty("request_id") String requestId, int attempt, OcrOptions options, Integer page,
                         @JsonProperty("v") int version) {

    /** The format this build writes: 2 added pages. */
    public static final int VERSION = 2;

    /** An image's job's message. */
    public JobMessage(String requestId, int attempt, OcrOptions options) {
        this(requestId, attempt, options, null, VERSION);
    }

    /** The message of one page of a document job. */
    public static JobMessage page(String requestId, OcrOptions options, int page) {
        return new JobMessage(requestId, 1, options, page, VERSION);
    }

    /** Whether this build can run it: a message of its own format or an older one. */
    public boolean understood() {
        return version <= VERSION;
    }
}
