package dev.asyncocr.job;

import java.util.List;

/** Tells the outside world that a job finished: the port behind callbacks and event sinks. */
public interface JobNotifier {

    /**
     * Refuses a callback URL that it would not deliver to; called at submission, so that the client hears
     * of it at once rather than never.
     *
     * @throws CallbackUrlRefusedException with the reason
     */
    void checkCallbackUrl(String url);

    /**
     * The deliveries a job owes once it is final. They are stored in the same write that finishes the job,
     * so that a crash between finishing and notifying loses none.
     */
    List<Delivery> deliveriesFor(OcrJob job);

    /**
     * The deliveries of a page's event, for a document whose submission asked for page events; stored in the job
     * record as the completion event's are.
     */
    List<Delivery> deliveriesFor(OcrJob job, Delivery.PageEvent page);

    /** The job is stored as final with pending deliveries: a hint to deliver now rather than at the next poll. */
    void finished(OcrJob job);
}
