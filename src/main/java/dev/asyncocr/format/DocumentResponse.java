package dev.asyncocr.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.job.Progress;
import dev.asyncocr.ocr.OcrResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A finished document job on the wire: its status, its pages' counts, and (when read, not in its completion
 * event) its pages in page order with the whole text.
 *
 * @param text  the pages' text joined by form feeds, in page order; a failed page adds an empty one
 * @param pages null (omitted) in the completion event, which tells the counts only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "DocumentResponse", description = "A finished document job (a PDF, a multi-page TIFF, several images):"
        + " its pages in page order (all, or the slice ?pages= asks for), each with its own status and result")
public record DocumentResponse(@JsonProperty("request_id") String requestId,
        @Schema(enumeration = {"succeeded", "partially_succeeded", "failed"}) String status,
        @Schema(description = "The pages the job read (after a selection)") @JsonProperty("pages_total")
        int pagesTotal,
        @Schema(description = "Its pages by outcome") Progress progress,
        @Schema(description = "The pages' text in page order, joined by a form feed (a failed page adds an empty one)")
        String text,
        @Schema(description = "The pages shown, in page order") List<Page> pages,
        @JsonProperty("submitted_at") Instant submittedAt, @JsonProperty("finished_at") Instant finishedAt,
        List<DeliveryView> deliveries) {

    /** Pages are separated by a form feed in a document's whole text. */
    public static final String PAGE_BREAK = "\f";

    /**
     * One page of a document job.
     *
     * @param page   in the document's own numbering
     * @param dpi    the DPI a PDF page was rendered at; absent for a TIFF frame or an image part
     * @param source {@code ocr}: the text was recognised; {@code pdf}: taken from the PDF's own text layer
     * @param notice what to know about how it was read (a lowered DPI); absent when nothing
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DocumentPage", description = "One page of a document job")
    public record Page(@Schema(description = "In the document's own numbering (1-based, before any selection)")
            int page,
            @Schema(description = "The rendered page's width in pixels, once succeeded") Integer width,
            @Schema(description = "Its height in pixels") Integer height,
            @Schema(description = "The DPI a PDF page was rendered at (lower than asked when the page would exceed "
                    + "the pixel limit, with a notice); absent for a TIFF frame or an image") Integer dpi,
            @Schema(enumeration = {"queued", "processing", "succeeded", "failed"}) String status,
            @Schema(enumeration = {"ocr", "pdf"}, description = "Where a succeeded page's text came from: recognised,"
                    + " or the PDF's own text layer (text_layer=auto)") String source,
            @Schema(description = "The page's lines joined by newlines") String text,
            @Schema(description = "Each line's text, confidence and box, in reading order") List<OcrResponse.Line> lines,
            @Schema(description = "Milliseconds per stage: render (the page into an image), decode, det, cls, rec, "
                    + "total") @JsonProperty("timings_ms") Map<String, Double> timingsMs,
            @Schema(description = "Once failed: why") ErrorResponse.Detail error,
            @Schema(description = "What to know about how it was read (a lowered DPI)") String notice) {

        public static Page from(PageTask task, boolean words) {
            OcrResult result = task.result();
            JobError error = task.error();
            return new Page(task.page(), result == null ? null : result.width(), result == null ? null : result.height(),
                    task.dpi(), task.status().wireName(), result == null ? null : task.source().wireName(),
                    result == null ? null : result.text(),
                    result == null ? null : result.lines().stream().map(l -> OcrResponse.Line.from(l, words)).toList(),
                    result == null ? null : result.timingsMs(),
                    error == null ? null : new ErrorResponse.Detail(error.code().name(), error.message()),
                    task.notice());
        }
    }

    /**
     * @param pages the pages to show (a slice, or all), null for the counts alone
     * @param progress the job's progress
     */
    public static DocumentResponse from(OcrJob job, Progress progress, List<PageTask> pages, boolean words) {
        return new DocumentResponse(job.id(), job.status().wireName(), job.pagesTotal(), progress,
                pages == null ? null : pages.stream().map(p -> p.result() == null ? "" : p.result().text())
                        .collect(Collectors.joining(PAGE_BREAK)),
                pages == null ? null : pages.stream().map(p -> Page.from(p, words)).toList(),
                job.submittedAt(), job.finishedAt(), DeliveryView.of(job.deliveries()));
    }

    /** The pages as the renderers take them: a failed page as null. */
    public static List<ResultPage> resultPages(List<PageTask> pages) {
        return pages.stream().map(p -> new ResultPage(p.page(),
                p.status() == JobStatus.SUCCEEDED ? Objects.requireNonNull(p.result()) : null,
                p.source() == PageTask.TextSource.PDF)).toList();
    }
}
