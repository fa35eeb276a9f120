package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What each tenant may do ({@code ocr.tenant}): its quota, its share of the workers, and which tenants are named: in
 * the metrics' labels and with queues of their own.
 */
@ConfigMapping(prefix = "ocr.tenant")
public interface TenantConfig {

    /**
     * Whether each named tenant's jobs wait in queues of their own, which the workers take from in turn, so that one
     * tenant's backlog does not hold back another's jobs. Off, every tenant's jobs wait in their lane's one queue,
     * first come first served. The tenants not named share a queue in either case.
     */
    @WithDefault("true")
    boolean fairShare();

    /**
     * The most pages (an image is one) a tenant may have queued or running at once; beyond it a submission answers
     * 429. Unset: no quota. With authentication off it bounds the one tenant there is, everyone.
     */
    OptionalLong maxQueued();

    /** Per-tenant settings: {@code ocr.tenant.overrides.<tenant>.max-queued}. */
    Map<String, Tenant> overrides();

    /**
     * Tenants named beside the API keys' tenants (for tenants of JWTs): in the metrics' {@code tenant} label, and
     * with queues of their own for {@link #fairShare()}. Every other tenant is counted as {@code other} and shares a
     * queue, so that clients can add neither series nor queues.
     */
    Optional<List<String>> metricTenants();

    /** The tenants named: those of the API keys, and {@link #metricTenants()}. */
    static Set<String> named(AuthConfig auth, TenantConfig tenants) {
        return Stream.concat(auth.apiKeys().orElse(List.of()).stream().map(AuthConfig::keyTenant),
                tenants.metricTenants().orElse(List.of()).stream()).collect(Collectors.toUnmodifiableSet());
    }

    interface Tenant {

        /** This tenant's quota, in place of {@code ocr.tenant.max-queued}. */
        OptionalLong maxQueued();
    }
}
