package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;

/** With {@code ocr.api.public-url}, every Location is absolute on it, whatever Host or forwarding headers say. */
@QuarkusTest
@TestProfile(PublicUrlLocationTest.WithPublicUrl.class)
class PublicUrlLocationTest {

    public static class WithPublicUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ocr.api.public-url", "https://ocr.example.com/v1/",
                    "quarkus.http.proxy.proxy-address-forwarding", "true");
        }
    }

    @Test
    void theLocationIsOnThePublicUrl() {
        given().header("Host", "evil.example:666").header("X-Forwarded-Host", "evil.example")
                .contentType("image/png").body(TestImages.text("PUBLIC 1").bytes()).when().post("/ocr/async")
                .then().statusCode(202)
                .header("Location", matchesPattern("https://ocr\\.example\\.com/v1/ocr/result/[0-9a-f-]{36}"));
        given().header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                .header("ce-source", "/tests/location").header("ce-type", "dev.asyncocr.ocr.requested")
                .contentType("image/png").body(TestImages.text("PUBLIC 2").bytes()).when().post("/")
                .then().statusCode(202).header("Location", matchesPattern("https://ocr\\.example\\.com/v1/ocr/result/.+"));
    }
}
