package dev.asyncocr.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.job.ErrorCode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The body of every error answer: {@code {"error":{"code","message"},"request_id"}}.
 *
 * @param requestId  the job the error belongs to; null (and still written) when no job was created
 * @param status     the status of the finished job the error reports, null (omitted) for any other error
 * @param deliveries a failed job's completion events, null (omitted) when there are none
 */
public record ErrorResponse(Detail error,
        @Schema(description = "The job the error belongs to; null when no job was created")
        @JsonProperty("request_id") @JsonInclude(JsonInclude.Include.ALWAYS) String requestId,
        @Schema(description = "When the error reports a finished job: its status", enumeration = {"failed", "cancelled",
                "expired"}) String status,
        @Schema(description = "A failed job's completion events; absent when it owes none")
        List<DeliveryView> deliveries) {

    /**
     * @param code    one of {@link ErrorCode}
     * @param message for people; never a stack trace
     */
    public record Detail(@Schema(description = "What went wrong, e.g. IMAGE_UNDECODABLE: stable, for programs")
            String code, @Schema(description = "For people") String message) {
    }

    /** The error body for {@code code}, about no job. */
    public static ErrorResponse of(ErrorCode code, String message) {
        return new ErrorResponse(new Detail(code.name(), message), null, null, null);
    }
}
