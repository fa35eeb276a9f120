package dev.asyncocr.api;

import dev.asyncocr.testing.TenantsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Tenants on the embedded defaults: in-process Artemis and the in-memory store. */
@QuarkusTest
@TestProfile(TenantsProfile.class)
class EmbeddedTenantsTest extends TenantsContract {
}
