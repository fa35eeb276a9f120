package dev.asyncocr.events;

import java.time.Duration;

/**
 * How one send of an event went.
 *
 * @param status     the receiver's HTTP status; null when it never answered (refused, reset, timed out)
 * @param error      what went wrong, for the job record; null on success
 * @param retryAfter the receiver's {@code Retry-After}, or null
 * @param retryable  worth another try: no answer, a timeout, throttling or a server error
 */
record SendResult(Integer status, String error, Duration retryAfter, boolean retryable) {

    static SendResult answered(int status, Duration retryAfter) {
        boolean ok = status >= 200 && status < 300;
        boolean retryable = status == 408 || status == 429 || status >= 500;
        return new SendResult(status, ok ? null : "the receiver answered HTTP " + status, retryAfter, retryable);
    }

    /** No answer: the connection failed or the receiver was too slow. */
    static SendResult unanswered(String error) {
        return new SendResult(null, error, null, true);
    }

    /** Not sent, and never to be: the target is one we do not send to. */
    static SendResult refused(String error) {
        return new SendResult(null, error, null, false);
    }

    boolean delivered() {
        return status != null && status >= 200 && status < 300;
    }
}
