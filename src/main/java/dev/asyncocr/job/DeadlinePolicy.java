package dev.asyncocr.job;

import java.util.Locale;

/** What a submission with a deadline wants when the queue cannot start it in time. */
public enum DeadlinePolicy {
    /** Queue it all the same; it expires, unrun, if no worker starts it by then (the default). */
    EXPIRE,
    /** Refuse it at once ({@link ErrorCode#DEADLINE_UNREACHABLE}) when the estimated start is after the deadline. */
    REJECT;

    /** The name on the wire: {@code expire}, {@code reject}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
