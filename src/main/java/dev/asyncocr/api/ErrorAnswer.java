package dev.asyncocr.api;

import dev.asyncocr.format.ErrorResponse;
import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An error as the HTTP API answers it: the code's status and the JSON {@link ErrorResponse}. */
final class ErrorAnswer {

    private ErrorAnswer() {
    }

    /** The answer for {@code code}, about no job. */
    static Response of(ErrorCode code, String message) {
        return builder(code, message, null).build();
    }

    /** The answer for {@code code} about job {@code requestId} (or none), for adding headers. */
    static Response.ResponseBuilder builder(ErrorCode code, String message, String requestId) {
        return Response.status(code.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(new ErrorResponse.Detail(code.name(), message), requestId, null, null));
    }
}
