package dev.asyncocr.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Requests the API itself refuses (missing image, bad parameter, body over the limit). */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        return e.code().toResponse(e.getMessage());
    }
}
