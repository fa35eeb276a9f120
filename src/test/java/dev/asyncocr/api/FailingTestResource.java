package dev.asyncocr.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only: a resource that fails unexpectedly, to check what a client sees of an internal error. */
@Path("/test-only/fail")
public class FailingTestResource {

    static final String SECRET = "secret internal detail 8d1f";

    @GET
    public String fail() {
        throw new IllegalStateException(SECRET);
    }
}
