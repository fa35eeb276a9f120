package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.ocr.Tuning;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.Set;

/**
 * The tuning options of {@code POST /ocr} and {@code POST /ocr/async}, PaddleOCR's serving options under
 * shorter names: each a query parameter or, in a multipart request, a form field (not both). Unset, the
 * replica's configuration decides.
 */
final class TuningParameters {

    static final String DET_SIZE = "det_size";
    static final String DET_THRESH = "det_thresh";
    static final String BOX_THRESH = "box_thresh";
    static final String UNCLIP_RATIO = "unclip_ratio";
    static final String MIN_CONFIDENCE = "min_confidence";
    static final Set<String> NAMES = Set.of(DET_SIZE, DET_THRESH, BOX_THRESH, UNCLIP_RATIO, MIN_CONFIDENCE);
    private static final String AS_QUERY = "Instead of the query parameter ";

    private TuningParameters() {
    }

    /** The options in the query string, documented once for every operation that reads them. */
    record Query(@Parameter(ref = DET_SIZE) @RestQuery(DET_SIZE) String detSize,
            @Parameter(ref = DET_THRESH) @RestQuery(DET_THRESH) String detThresh,
            @Parameter(ref = BOX_THRESH) @RestQuery(BOX_THRESH) String boxThresh,
            @Parameter(ref = UNCLIP_RATIO) @RestQuery(UNCLIP_RATIO) String unclipRatio,
            @Parameter(ref = MIN_CONFIDENCE) @RestQuery(MIN_CONFIDENCE) String minConfidence) {
    }

    /** The options as multipart form fields. */
    record Form(@Schema(description = AS_QUERY + DET_SIZE) @RestForm(DET_SIZE) String detSize,
            @Schema(description = AS_QUERY + DET_THRESH) @RestForm(DET_THRESH) String detThresh,
            @Schema(description = AS_QUERY + BOX_THRESH) @RestForm(BOX_THRESH) String boxThresh,
            @Schema(description = AS_QUERY + UNCLIP_RATIO) @RestForm(UNCLIP_RATIO) String unclipRatio,
            @Schema(description = AS_QUERY + MIN_CONFIDENCE) @RestForm(MIN_CONFIDENCE) String minConfidence) {

        /** A request without a form: a raw image body. */
        static final Form NONE = new Form(null, null, null, null, null);
    }

    /**
     * The request's tuning, each option checked.
     *
     * @throws ApiException {@link ErrorCode#INVALID_PARAMETER} naming an option out of range or malformed, or
     *                      given both in the query and as a form field
     */
    static Tuning read(Query query, Form form) {
        return new Tuning(
                JobSubmitter.detectionSize(DET_SIZE, OcrResource.oneOf(DET_SIZE, form.detSize(), query.detSize())),
                number(DET_THRESH, form.detThresh(), query.detThresh(), Tuning.PROBABILITY),
                number(BOX_THRESH, form.boxThresh(), query.boxThresh(), Tuning.PROBABILITY),
                number(UNCLIP_RATIO, form.unclipRatio(), query.unclipRatio(), Tuning.UNCLIP_RATIO),
                number(MIN_CONFIDENCE, form.minConfidence(), query.minConfidence(), Tuning.PROBABILITY));
    }

    private static Double number(String name, String formValue, String queryValue, Tuning.Range range) {
        return JobSubmitter.number(name, OcrResource.oneOf(name, formValue, queryValue), range);
    }
}
