package dev.asyncocr.api;

import dev.asyncocr.job.ErrorCode;

/** A request the API refuses, with the code that tells the client why. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
