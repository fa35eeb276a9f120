package dev.asyncocr.job;

import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;

import java.time.Instant;

/**
 * One submitted image and what became of it. Immutable: every change makes a new record, and only
 * {@link JobService} decides which change happens.
 *
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 * @param imageSha256    the image's digest when it has an idempotency key, to tell a reused key from a retry
 * @param attempts       how many times a worker has started on it
 * @param result         set once it succeeded
 * @param error          set once it failed
 */
public record OcrJob(String id, JobStatus status, OcrOptions options, String callbackUrl, String idempotencyKey,
                     String imageSha256, Instant submittedAt, Instant startedAt, Instant finishedAt, int attempts,
                     OcrResult result, JobError error) {

    static OcrJob queued(String id, OcrOptions options, String callbackUrl, String idempotencyKey, String imageSha256,
                         Instant now) {
        return new OcrJob(id, JobStatus.QUEUED, options, callbackUrl, idempotencyKey, imageSha256, now, null, null, 0,
                null, null);
    }

    OcrJob processing(Instant now) {
        return new OcrJob(id, JobStatus.PROCESSING, options, callbackUrl, idempotencyKey, imageSha256, submittedAt, now,
                null, attempts + 1, null, null);
    }

    /** Back in the queue for another attempt after a failure that was not the input's. */
    OcrJob requeued() {
        return new OcrJob(id, JobStatus.QUEUED, options, callbackUrl, idempotencyKey, imageSha256, submittedAt, null,
                null, attempts, null, null);
    }

    OcrJob succeeded(OcrResult result, Instant now) {
        return new OcrJob(id, JobStatus.SUCCEEDED, options, callbackUrl, idempotencyKey, imageSha256, submittedAt,
                startedAt, now, attempts, result, null);
    }

    OcrJob failed(JobError error, Instant now) {
        return new OcrJob(id, JobStatus.FAILED, options, callbackUrl, idempotencyKey, imageSha256, submittedAt,
                startedAt, now, attempts, null, error);
    }

    OcrJob cancelled(Instant now) {
        return new OcrJob(id, JobStatus.CANCELLED, options, callbackUrl, idempotencyKey, imageSha256, submittedAt,
                startedAt, now, attempts, null, null);
    }
}
