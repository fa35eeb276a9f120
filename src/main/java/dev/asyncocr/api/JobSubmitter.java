package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.job.DeadlinePolicy;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.observability.JobTracing;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.Tuning;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The checks every submission passes, whichever door it came through (REST or CloudEvent): an image is
 * refused for its size, format or pixel count (read from its header) before anything is queued.
 */
@Singleton
public class JobSubmitter {

    private final JobService jobs;
    private final ImageDecoder decoder;
    private final ApiConfig config;
    private final JobTracing tracing;

    public JobSubmitter(JobService jobs, ImageDecoder decoder, ApiConfig config, JobTracing tracing) {
        this.jobs = jobs;
        this.decoder = decoder;
        this.config = config;
        this.tracing = tracing;
    }

    /**
     * @param callbackUrl    where the completion event goes, or null
     * @param idempotencyKey a key that makes resubmissions of the same image return the same job, or null
     * @param tenant         who submits it (its owner), or null with authentication off
     * @param schedule       its deadline, if any
     * @param policy         what to do when the queue cannot start it by its deadline
     */
    public OcrJob submit(byte[] image, OcrOptions options, String callbackUrl, String idempotencyKey, String tenant,
            Schedule schedule, DeadlinePolicy policy) {
        checkSize(image == null ? 0 : image.length);
        decoder.inspect(image); // format and pixel count from the header: refused now, not in the worker
        return jobs.submit(image, options, callbackUrl, idempotencyKey, tracing.currentTraceparent(), tenant,
                schedule, policy);
    }

    /** Refuses an empty image or one over {@code ocr.api.max-bytes}, before it is read into memory. */
    void checkSize(long bytes) {
        if (bytes == 0) {
            throw new ApiException(ErrorCode.IMAGE_MISSING, "The image is empty (0 bytes)");
        }
        if (bytes > config.maxBytes()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The image has " + bytes + " bytes; the limit is " + config.maxBytes() + " bytes");
        }
    }

    /** A pipeline switch: absent means true; anything but true/false (any case) is refused rather than read as false. */
    public static boolean flag(String name, String value) {
        if (value == null) {
            return true;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'" + name + "' must be true or false, not '" + value + "'");
        };
    }

    /**
     * A numeric setting: absent is null (the replica's default); anything but a decimal number within
     * {@code range} is refused, naming the option and its range.
     */
    public static Double number(String name, String value, Tuning.Range range) {
        if (value == null) {
            return null;
        }
        double number;
        try {
            number = new BigDecimal(value.trim()).doubleValue(); // plain decimals only: no NaN, Infinity or hex
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!range.contains(number)) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'" + name + "' must be a number from " + range + ", not '" + value + "'");
        }
        return number;
    }

    /** A detection geometry: absent is null (the replica's default); else {@code min:N}, {@code max:N} or {@code text:N}. */
    public static DetectionSize detectionSize(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return DetectionSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + name + "' must be min:N or max:N (N pixels,"
                    + " at least " + DetectionSize.LEAST_SIDE + ") or text:N (N pixels, at least "
                    + DetectionSize.LEAST_TEXT + "), not '" + value + "'");
        }
    }
}
