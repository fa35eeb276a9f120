package dev.asyncocr.api;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who made the current request: the tenant {@link AuthenticationFilter} found for its credential, or null when
 * authentication is off (and every job is everyone's, as before tenants).
 */
@RequestScoped
public class Caller {

    private String tenant;

    public String tenant() {
        return tenant;
    }

    void authenticatedAs(String tenant) {
        this.tenant = tenant;
    }
}
