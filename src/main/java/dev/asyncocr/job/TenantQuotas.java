package dev.asyncocr.job;

import java.util.Map;
import java.util.OptionalLong;

/**
 * How much work each tenant may have queued or running at once, in pages (an image is one page): a default and
 * per-tenant overrides. The tenant null (authentication off) has the default.
 *
 * @param maxQueued the default; empty for no quota
 */
public record TenantQuotas(OptionalLong maxQueued, Map<String, Long> overrides) {

    public static final TenantQuotas NONE = new TenantQuotas(OptionalLong.empty(), Map.of());

    public TenantQuotas {
        overrides = Map.copyOf(overrides);
    }

    /** {@code tenant}'s quota; empty for none. */
    public OptionalLong of(String tenant) {
        Long own = tenant == null ? null : overrides.get(tenant);
        return own == null ? maxQueued : OptionalLong.of(own);
    }
}
