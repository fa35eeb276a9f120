package dev.asyncocr.store;

import dev.asyncocr.job.JobStore;

class InMemoryJobStoreTest extends JobStoreContract {

    @Override
    JobStore store() {
        return new InMemoryJobStore(TTL, clock);
    }
}
