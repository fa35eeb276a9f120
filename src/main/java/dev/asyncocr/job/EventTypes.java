package dev.asyncocr.job;

/** The CloudEvent types the service reads and writes: wire names, defined here only. */
public final class EventTypes {

    /** In: an image to recognise ({@code POST /}). */
    public static final String REQUESTED = "dev.asyncocr.ocr.requested";
    /** Out, as the reply to a request event: the job was accepted; data is {@code {"request_id","status"}}. */
    public static final String ACCEPTED = "dev.asyncocr.ocr.accepted";
    /** Out: a job succeeded; data is its result. */
    public static final String COMPLETED = "dev.asyncocr.ocr.completed";
    /** Out: a job failed; data is its error. */
    public static final String FAILED = "dev.asyncocr.ocr.failed";
    /**
     * Out, when the submission asked for page events: a document's page turned final; data is its page number,
     * status and the job's progress.
     */
    public static final String PAGE_COMPLETED = "dev.asyncocr.ocr.page.completed";
    /** Out: a job's deadline passed before it started; data is its error ({@code JOB_EXPIRED}). */
    public static final String EXPIRED = "dev.asyncocr.ocr.expired";
    /**
     * The extension attribute that names a job's tenant: on its completion events, and on a request event from a
     * producer the ingress trusts.
     */
    public static final String TENANT = "ocrtenant";

    private EventTypes() {
    }
}
