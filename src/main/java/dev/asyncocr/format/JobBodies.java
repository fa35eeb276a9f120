package dev.asyncocr.format;

import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;

/**
 * The JSON body of a finished job, the one definition shared by {@code GET /ocr/result/{id}} and the data
 * of its completion event.
 */
public final class JobBodies {

    private JobBodies() {
    }

    /**
     * An {@link OcrResponse} for a succeeded job, an {@link ErrorResponse} with the job's status for one that
     * ended otherwise (failed, cancelled, expired); both with the job's deliveries, when it has any. A finished
     * document's is its {@link DocumentResponse} without pages.
     *
     * @param words whether a result's lines list their words
     * @throws IllegalArgumentException for a job that is not final
     */
    public static Object finalBody(OcrJob job, boolean words) {
        if (job.isDocument() && job.status() != JobStatus.CANCELLED) { // its counts; its pages are read apart
            return DocumentResponse.from(job, job.document().outcome(), null, words);
        }
        return switch (job.status()) {
            case SUCCEEDED, PARTIALLY_SUCCEEDED -> OcrResponse.from(job, words);
            case FAILED, EXPIRED -> errorBody(job, job.error());
            case CANCELLED -> errorBody(job, new JobError(ErrorCode.JOB_CANCELLED, "Job " + job.id() + " was cancelled",
                    false));
            default -> throw new IllegalArgumentException("job " + job.id() + " is " + job.status().wireName()
                    + ", it has no final body");
        };
    }

    private static ErrorResponse errorBody(OcrJob job, JobError error) {
        return new ErrorResponse(new ErrorResponse.Detail(error.code().name(), error.message()), job.id(),
                job.status().wireName(), DeliveryView.of(job.deliveries()));
    }
}
