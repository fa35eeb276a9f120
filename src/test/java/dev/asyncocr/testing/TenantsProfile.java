package dev.asyncocr.testing;

import java.util.Map;

/** {@link ControlledWorkerProfile} with authentication on ({@link TestTokens}) and callbacks to loopback receivers. */
public class TenantsProfile extends ControlledWorkerProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return TestTokens.withTenants(super.getConfigOverrides());
    }
}
