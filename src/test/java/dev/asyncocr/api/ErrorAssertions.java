package dev.asyncocr.api;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The error contract: {@code {"error":{"code","message"},"request_id":null}} with the given status. */
final class ErrorAssertions {

    private ErrorAssertions() {
    }

    static ValidatableResponse assertError(ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo(code))
                .body("error.message", not(emptyOrNullString()))
                .body("$", hasKey("request_id"))
                .body("request_id", nullValue());
    }

    /** The error contract for an error about a job: {@code request_id} names it (null when none was created). */
    static ValidatableResponse assertJobError(ValidatableResponse response, int status, String code, String requestId) {
        return response.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo(code))
                .body("error.message", not(emptyOrNullString()))
                .body("$", hasKey("request_id"))
                .body("request_id", equalTo(requestId));
    }
}
