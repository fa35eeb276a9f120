package dev.asyncocr.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignerTest {

    /** The example of the Standard Webhooks specification: its secret, message id, timestamp, body and signature. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsTheSpecificationsExampleAsItSays() {
        assertEquals(SPEC_SIGNATURE, WebhookSigner.of(List.of(SPEC_SECRET)).signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void signsOncePerSecretDuringARotation() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString("another key".getBytes());
        String signatures = WebhookSigner.of(List.of(SPEC_SECRET, " " + other)).signature(SPEC_ID, SPEC_TIMESTAMP,
                SPEC_BODY);
        String[] each = signatures.split(" ");
        assertEquals(2, each.length, signatures);
        assertEquals(SPEC_SIGNATURE, each[0]);
        assertTrue(each[1].startsWith("v1,") && !each[1].equals(SPEC_SIGNATURE), each[1]);
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        WebhookSigner signer = WebhookSigner.of(List.of(SPEC_SECRET));
        assertFalse(SPEC_SIGNATURE.equals(signer.signature(SPEC_ID + "x", SPEC_TIMESTAMP, SPEC_BODY)));
        assertFalse(SPEC_SIGNATURE.equals(signer.signature(SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_BODY)));
        assertFalse(SPEC_SIGNATURE.equals(signer.signature(SPEC_ID, SPEC_TIMESTAMP, "{\"test\": 2432232315}"
                .getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void withoutSecretsNothingIsSigned() {
        WebhookSigner signer = WebhookSigner.of(List.of());
        assertFalse(signer.signs());
        assertEquals("", signer.signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void secretsWrittenOtherwiseAreRefusedWithoutShowingThem() {
        for (String bad : List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not*base64!")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WebhookSigner.of(List.of(bad)));
            assertFalse(e.getMessage().contains("MfKQ9r") || e.getMessage().contains("not*base64"), e.getMessage());
        }
    }
}
