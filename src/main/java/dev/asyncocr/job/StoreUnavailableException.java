package dev.asyncocr.job;

/**
 * The job store cannot be reached now (connection refused or lost, or no answer in time). A submission
 * that meets it kept nothing; a poll learns nothing. Worth retrying later.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
