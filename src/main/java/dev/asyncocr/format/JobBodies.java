package dev.asyncocr.format;

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
     * An {@link OcrResponse} for a succeeded job, an {@link ErrorResponse} for a failed one; both with the
     * job's deliveries, when it has any. A finished document's is its {@link DocumentResponse} without pages.
     *
     * @param words whether a result's lines list their words
     * @throws IllegalArgumentException for a job that is not succeeded or failed
     */
    public static Object finalBody(OcrJob job, boolean words) {
        if (job.isDocument() && job.status() != JobStatus.CANCELLED) { // its counts; its pages are read apart
            return DocumentResponse.from(job, job.document().outcome(), null, words);
        }
        return switch (job.status()) {
            case SUCCEEDED, PARTIALLY_SUCCEEDED -> OcrResponse.from(job, words);
            case FAILED -> {
                JobError error = job.error();
                yield new ErrorResponse(new ErrorResponse.Detail(error.code().name(), error.message()), job.id(),
                        DeliveryView.of(job.deliveries()));
            }
            default -> throw new IllegalArgumentException("job " + job.id() + " is " + job.status().wireName()
                    + ", it has no final body");
        };
    }
}
