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
        return ErrorCode.valueOf(e.reason().code()).toResponse(e.getMessage());
    }
}
