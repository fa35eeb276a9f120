package dev.asyncocr.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The body of every error answer: {@code {"error":{"code","message"},"request_id"}}.
 *
 * @param requestId  the job the error belongs to; null (and still written) when no job was created
 * @param deliveries a failed job's completion events, null (omitted) when there are none
 */
public record ErrorResponse(Detail error,
        @JsonProperty("request_id") @JsonInclude(JsonInclude.Include.ALWAYS) String requestId,
        List<DeliveryView> deliveries) {

    /**
     * @param code    one of {@link ErrorCode}
     * @param message for people; never a stack trace
     */
    public record Detail(String code, String message) {
    }

    public static ErrorResponse of(ErrorCode code, String message) {
        return new ErrorResponse(new Detail(code.name(), message), null, null);
    }

    public static ErrorResponse of(String code, String message, String requestId) {
        return new ErrorResponse(new Detail(code, message), requestId, null);
    }
}
