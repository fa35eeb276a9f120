package dev.asyncocr.testing;

import java.util.Map;

/** {@link RabbitRedisProfile} with authentication on ({@link TestTokens}) and callbacks to loopback receivers. */
public class RabbitRedisTenantsProfile extends RabbitRedisProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return TestTokens.withTenants(super.getConfigOverrides());
    }
}
