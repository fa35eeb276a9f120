package dev.asyncocr.api;

import dev.asyncocr.ocr.ImageRejectedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Images the pipeline cannot or will not read. */
@Provider
public class ImageRejectedExceptionMapper implements ExceptionMapper<ImageRejectedException> {

    @Override
    public Response toResponse(ImageRejectedException e) {
        return code(e.reason()).toResponse(e.getMessage());
    }

    static ErrorCode code(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case UNDECODABLE -> ErrorCode.IMAGE_UNDECODABLE;
            case UNSUPPORTED_FORMAT -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case TOO_LARGE -> ErrorCode.IMAGE_TOO_LARGE;
        };
    }
}
