package dev.asyncocr.testing;

import java.util.HashMap;
import java.util.Map;

/** {@link ControlledWorkerProfile} with authentication on ({@link TestTokens}) and callbacks to loopback receivers. */
public class TenantsProfile extends ControlledWorkerProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.putAll(TestTokens.authConfig());
        config.put("ocr.callback.allow-private-targets", "true");
        return config;
    }
}
