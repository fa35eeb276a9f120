package dev.asyncocr.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ControlledWorkerProfile} with completion events to test receivers on loopback: signed with two
 * secrets (as during a rotation), retried quickly, and also sent to a sink on {@link #sinkPort()}, with
 * an extension attribute from the overrides; traced, the spans kept in memory.
 */
public class CallbackProfile extends ControlledWorkerProfile {

    public static final List<String> SIGNING_SECRETS = List.of("whsec_" + base64("first test secret"),
            "whsec_" + base64("second test secret"));
    public static final String SINK_PATH = "/sink";
    public static final int MAX_ATTEMPTS = 4;
    public static final Duration TIMEOUT = Duration.ofSeconds(2); // a stall on a loaded machine is no lost answer
    private static final String SINK_PORT_PROPERTY = "async-ocr.test.sink-port";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("ocr.callback.allow-private-targets", "true");
        config.put("ocr.callback.signing-secrets", String.join(",", SIGNING_SECRETS));
        config.put("ocr.callback.sink", "http://127.0.0.1:" + sinkPort() + SINK_PATH);
        config.put("ocr.callback.ce-overrides", "{\"extensions\":{\"testrun\":\"callbacks\"}}");
        config.put("ocr.callback.timeout", TIMEOUT.toMillis() + "ms");
        config.put("ocr.callback.max-attempts", String.valueOf(MAX_ATTEMPTS));
        config.put("ocr.callback.initial-backoff", "200ms");
        config.put("ocr.callback.max-backoff", "1s");
        config.put("ocr.callback.poll-interval", "100ms");
        config.put("quarkus.otel.sdk.disabled", "false"); // traced, into InMemorySpans
        config.put("quarkus.otel.bsp.schedule.delay", "50ms");
        config.put("quarkus.log.category.\"dev.asyncocr.job\".level", "DEBUG"); // the submission's line
        return config;
    }

    /**
     * The sink's port, one for the whole run: the profile and the tests live in different class loaders,
     * so the tests start their own receiver on it rather than share an instance.
     */
    public static int sinkPort() {
        return Integer.parseInt((String) System.getProperties().computeIfAbsent(SINK_PORT_PROPERTY,
                key -> String.valueOf(ServiceReplicas.freePort())));
    }

    private static String base64(String key) {
        return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }
}
