package dev.asyncocr.api;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who made the current request: the tenant {@link AuthenticationFilter} found for its credential, or null when
 * authentication is off (and every job is everyone's, as before tenants).
 */
@RequestScoped
public class Caller {

    private String tenant;
    private boolean trustedIngress;

    public String tenant() {
        return tenant;
    }

    /** Whether the request came to the CloudEvents ingress with its token: then an event may name its tenant. */
    public boolean trustedIngress() {
        return trustedIngress;
    }

    void ingressAuthenticated() {
        this.trustedIngress = true;
    }

    void authenticatedAs(String tenant) {
        this.tenant = tenant;
    }
}
