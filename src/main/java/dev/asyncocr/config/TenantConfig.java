package dev.asyncocr.config;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** What each tenant may do ({@code ocr.tenant}): its quota, and which tenants the metrics name. */
@ConfigMapping(prefix = "ocr.tenant")
public interface TenantConfig {

    /**
     * The most pages (an image is one) a tenant may have queued or running at once; beyond it a submission answers
     * 429. Unset: no quota. With authentication off it bounds the one tenant there is, everyone.
     */
    OptionalLong maxQueued();

    /** Per-tenant settings: {@code ocr.tenant.overrides.<tenant>.max-queued}. */
    Map<String, Tenant> overrides();

    /**
     * Tenants named in the metrics' {@code tenant} label beside the API keys' tenants (for tenants of JWTs); every
     * other tenant is counted as {@code other}, so that clients cannot add series.
     */
    Optional<List<String>> metricTenants();

    interface Tenant {

        /** This tenant's quota, in place of {@code ocr.tenant.max-queued}. */
        OptionalLong maxQueued();
    }
}
