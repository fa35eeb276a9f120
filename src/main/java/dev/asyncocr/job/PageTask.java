package dev.asyncocr.job;

import dev.asyncocr.ocr.OcrResult;

import java.time.Instant;
import java.util.Locale;

/**
 * One page of a document job, run by its own message on any worker: its status ({@code queued},
 * {@code processing}, then {@code succeeded} or {@code failed}) and its outcome. Immutable, like
 * {@link OcrJob}; the store changes it only by {@link JobStore#transitionPage}.
 *
 * @param page     the page's number in the document's own numbering (1-based, before any selection)
 * @param attempts how many times a worker has started on it
 * @param result   set once it succeeded
 * @param error    set once it failed
 * @param dpi      the DPI a PDF page was rendered at, once it succeeded; null for a TIFF frame
 * @param notice   what the client should know about how the page was read (a lowered DPI), or null
 * @param source   where its text came from, once it succeeded (a page stored before it was kept was recognised)
 */
public record PageTask(int page, JobStatus status, int attempts, Instant startedAt, Instant finishedAt,
                       OcrResult result, JobError error, Integer dpi, String notice, TextSource source) {

    /** Where a page's text came from. */
    public enum TextSource {
        /** Recognised from its pixels. */
        OCR,
        /** Taken from the PDF's own text layer. */
        PDF;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PageTask {
        source = source == null && status == JobStatus.SUCCEEDED ? TextSource.OCR : source;
    }

    public static PageTask queued(int page) {
        return new PageTask(page, JobStatus.QUEUED, 0, null, null, null, null, null, null, null);
    }

    public PageTask processing(Instant now) {
        return new PageTask(page, JobStatus.PROCESSING, attempts + 1, now, null, null, null, null, null, null);
    }

    /** Back in the queue for another attempt after a failure that was not the input's. */
    public PageTask requeued() {
        return new PageTask(page, JobStatus.QUEUED, attempts, null, null, null, null, null, null, null);
    }

    public PageTask succeeded(OcrResult result, Instant now) {
        return succeeded(result, null, null, TextSource.OCR, now);
    }

    public PageTask succeeded(OcrResult result, Integer dpi, String notice, TextSource source, Instant now) {
        return new PageTask(page, JobStatus.SUCCEEDED, attempts, startedAt, now, result, null, dpi, notice, source);
    }

    public PageTask failed(JobError error, Instant now) {
        return new PageTask(page, JobStatus.FAILED, attempts, startedAt, now, null, error, null, null, null);
    }
}
