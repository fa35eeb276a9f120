package dev.asyncocr.job;

/** A callback URL the service will not deliver to: malformed, not http(s), or into a private network. */
public class CallbackUrlRefusedException extends RuntimeException {

    public CallbackUrlRefusedException(String message) {
        super(message);
    }
}
