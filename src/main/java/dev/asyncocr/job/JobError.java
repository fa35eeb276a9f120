package dev.asyncocr.job;

/**
 * Why a job failed.
 *
 * @param code       one of the API's error codes, e.g. {@code IMAGE_UNDECODABLE}
 * @param inputFault true when the input was at fault (answered 422, never retried), false when the service was (500)
 */
public record JobError(String code, String message, boolean inputFault) {
}
