package dev.asyncocr.eval;

/** A case folder that cannot be read or a {@code cases.json} that does not follow the case format. */
public class CaseSetException extends RuntimeException {

    public CaseSetException(String message) {
        super(message);
    }

    public CaseSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
