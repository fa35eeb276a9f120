package dev.asyncocr.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.OcrWord;
import dev.asyncocr.ocr.Tuning;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished job's result on the wire, the same for {@code POST /ocr} and {@code GET /ocr/result/{id}}.
 *
 * @param text      the recognised lines joined by newlines (empty when recognition did not run)
 * @param timingsMs  milliseconds per pipeline stage by stage name, and {@code queue}: submission to start
 * @param options    the options the job ran with: the request's, the replica's defaults for the rest
 * @param deliveries how its completion events fared, null (omitted) when it owes none
 */
public record OcrResponse(@JsonProperty("request_id") String requestId,
        @Schema(enumeration = "succeeded") String status,
        @Schema(description = "The lines' text joined by newlines; empty when recognition did not run") String text,
        @Schema(description = "Top to bottom, then left to right") List<Line> lines,
        @Schema(description = "Milliseconds per stage (decode, det, cls, rec, total) and queue: submission to start")
        @JsonProperty("timings_ms") Map<String, Double> timingsMs,
        @Schema(description = "The options the job ran with: the request's, and the replica's defaults for those"
                + " it did not set") Options options,
        @JsonProperty("submitted_at") Instant submittedAt, @JsonProperty("finished_at") Instant finishedAt,
        @Schema(description = "How its completion events fared; absent when it owes none")
        List<DeliveryView> deliveries) {

    /** The timing of the wait in the queue: from submission to the start of the attempt that finished it. */
    public static final String QUEUE = "queue";

    /**
     * @param text  null (omitted) when recognition did not run
     * @param box   four corners {@code [[x,y],[x,y],[x,y],[x,y]]}, clockwise from top-left, in image pixels
     * @param angle 0 or 180 when the direction classifier ran, else null (omitted)
     * @param words null (omitted) unless asked for
     */
    public record Line(@Schema(description = "Absent when recognition did not run") String text,
            double confidence,
            @Schema(description = "Four corners [[x,y],...] in image pixels, clockwise from top-left") int[][] box,
            @Schema(description = "0 or 180 when the direction classifier ran, else absent") Integer angle,
            @Schema(description = "With words=true: the line's words in reading order (Latin: split on spaces; "
                    + "CJK: one per character), each with its text, confidence and four-corner box")
            List<OcrWord> words) {

        static Line from(OcrLine line, boolean words) {
            return new Line(line.text(), line.confidence(), line.box(), line.angle(), words ? line.words() : null);
        }
    }

    /**
     * The options in effect, under their request names.
     *
     * @param detSize null (omitted), like the other tuning values, in a result stored before they were kept
     */
    public record Options(boolean det, boolean cls, boolean rec,
            @Schema(example = "text:32") @JsonProperty("det_size") String detSize,
            @JsonProperty("det_thresh") Double detThresh, @JsonProperty("box_thresh") Double boxThresh,
            @JsonProperty("unclip_ratio") Double unclipRatio, @JsonProperty("min_confidence") Double minConfidence) {

        static Options of(OcrOptions options, Tuning tuning) {
            Tuning ran = tuning == null ? Tuning.NONE : tuning;
            return new Options(options.det(), options.cls(), options.rec(),
                    ran.detSize() == null ? null : ran.detSize().toString(), ran.detThresh(), ran.boxThresh(),
                    ran.unclipRatio(), ran.minConfidence());
        }
    }

    /**
     * The response for a succeeded job.
     *
     * @param words whether each line lists its words
     */
    public static OcrResponse from(OcrJob job, boolean words) {
        OcrResult result = job.result();
        Map<String, Double> timings = new TreeMap<>(result.timingsMs());
        timings.put(QUEUE, Duration.between(job.submittedAt(), job.startedAt()).toNanos() / 1e6);
        return new OcrResponse(job.id(), job.status().wireName(), result.text(),
                result.lines().stream().map(line -> Line.from(line, words)).toList(), timings,
                Options.of(job.options(), result.tuning()), job.submittedAt(), job.finishedAt(),
                DeliveryView.of(job.deliveries()));
    }
}
