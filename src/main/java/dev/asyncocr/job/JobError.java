package dev.asyncocr.job;

/**
 * Why a job failed.
 *
 * @param inputFault true when the input was at fault (answered 422, never retried), false when the service was (500)
 */
public record JobError(ErrorCode code, String message, boolean inputFault) {
}
