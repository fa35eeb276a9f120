package dev.asyncocr.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.job.Delivery;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.Progress;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * The data of a page's event: which page turned final, how, and how far its document has come; the page's text
 * and lines are at {@code GET /ocr/result/{id}/pages/{page}}.
 *
 * @param progress the document's pages by outcome right after this one turned final
 */
public record PageEventBody(@JsonProperty("request_id") String requestId, int page,
        @Schema(enumeration = {"succeeded", "failed"}) String status, @JsonProperty("pages_total") int pagesTotal,
        Progress progress, @JsonProperty("finished_at") Instant finishedAt) {

    public static PageEventBody of(OcrJob job, Delivery.PageEvent page) {
        return new PageEventBody(job.id(), page.page(), page.status().wireName(), job.pagesTotal(), page.progress(),
                page.finishedAt());
    }
}
