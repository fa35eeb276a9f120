package dev.asyncocr.job;

import java.time.Instant;

/** {@link DeadlinePolicy#REJECT}: the queue is estimated to start the job only after its deadline. */
public class DeadlineUnreachableException extends RuntimeException {

    public DeadlineUnreachableException(Instant deadline, QueueStanding standing) {
        super("The job would be number " + standing.position() + " in the queue, estimated to start at "
                + standing.estimatedStart() + ", after its deadline " + deadline + "; nothing was queued");
    }
}
