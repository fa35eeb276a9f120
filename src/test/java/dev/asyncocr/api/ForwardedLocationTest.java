package dev.asyncocr.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * Behind a proxy whose forwarding headers the operator trusts, a job's Location is absolute on the proxy's
 * scheme and host: a TLS route gives https. ({@link BadInputMatrixTest} checks that without that setting the
 * client's Host and X-Forwarded-Host are ignored and the Location is relative.)
 */
@QuarkusTest
@TestProfile(ForwardedLocationTest.BehindAProxy.class)
class ForwardedLocationTest {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true");
        }
    }

    @Test
    void theLocationIsOnTheProxysSchemeAndHost() {
        given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "ocr.example.com")
                .contentType("image/png").body(TestImages.text("PROXY 1").bytes()).when().post("/ocr/async")
                .then().statusCode(202).header("Location", matchesPattern("https://ocr\\.example\\.com/ocr/result/[0-9a-f-]{36}"));
    }
}
