package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.ocr.Tuning;
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

    private TuningParameters() {
    }

    /** The options in the query string. */
    record Query(@RestQuery(DET_SIZE) String detSize, @RestQuery(DET_THRESH) String detThresh,
            @RestQuery(BOX_THRESH) String boxThresh, @RestQuery(UNCLIP_RATIO) String unclipRatio,
            @RestQuery(MIN_CONFIDENCE) String minConfidence) {
    }

    /** The options as multipart form fields. */
    record Form(@RestForm(DET_SIZE) String detSize, @RestForm(DET_THRESH) String detThresh,
            @RestForm(BOX_THRESH) String boxThresh, @RestForm(UNCLIP_RATIO) String unclipRatio,
            @RestForm(MIN_CONFIDENCE) String minConfidence) {

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
                JobSubmitter.number(DET_THRESH, OcrResource.oneOf(DET_THRESH, form.detThresh(), query.detThresh()),
                        Tuning.PROBABILITY),
                JobSubmitter.number(BOX_THRESH, OcrResource.oneOf(BOX_THRESH, form.boxThresh(), query.boxThresh()),
                        Tuning.PROBABILITY),
                JobSubmitter.number(UNCLIP_RATIO, OcrResource.oneOf(UNCLIP_RATIO, form.unclipRatio(), query.unclipRatio()),
                        Tuning.UNCLIP_RATIO),
                JobSubmitter.number(MIN_CONFIDENCE,
                        OcrResource.oneOf(MIN_CONFIDENCE, form.minConfidence(), query.minConfidence()), Tuning.PROBABILITY));
    }
}
