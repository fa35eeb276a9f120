package dev.asyncocr.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.FairShare;
import dev.asyncocr.job.Lane;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTenantWithQueuesOfItsOwnHasOneInEachLaneAndTheOthersShareTheLanes() {
        JobMessages messages = new JobMessages("/queue/ocr", new FairShare(Set.of("acme")), JSON);
        assertEquals("/queue/ocr.tenant.acme", messages.requests(Lane.NORMAL, "acme"));
        assertEquals("/queue/ocr.tenant.acme.high", messages.requests(Lane.HIGH, "acme"));
        assertEquals("/queue/ocr.low", messages.requests(Lane.LOW, "unnamed"));
        assertEquals("/queue/ocr", messages.requests(Lane.NORMAL, null));
        assertEquals(List.of("/queue/ocr.high", "/queue/ocr.tenant.acme.high", "/queue/ocr", "/queue/ocr.tenant.acme",
                "/queue/ocr.low", "/queue/ocr.tenant.acme.low"),
                messages.queues().stream().map(JobMessages.Queue::address).toList());
        assertEquals(List.of(Lane.HIGH, Lane.HIGH, Lane.NORMAL, Lane.NORMAL, Lane.LOW, Lane.LOW),
                messages.queues().stream().map(JobMessages.Queue::lane).toList());
    }

    @Test
    void withoutFairShareEveryTenantSharesTheLanesQueues() {
        JobMessages messages = new JobMessages("ocr", FairShare.NONE, JSON);
        assertEquals("ocr", messages.requests(Lane.NORMAL, "acme"));
        assertEquals(List.of("ocr.high", "ocr", "ocr.low"),
                messages.queues().stream().map(JobMessages.Queue::address).toList());
    }

    @Test
    void aTenantsNameCannotReachAnotherQueueOrMeanAWildcardOrAPath() {
        assertEquals("team-1_a", JobMessages.queueSafe("team-1_a"));
        assertEquals("a~2eb~2fc~23~2a~20d", JobMessages.queueSafe("a.b/c#* d"));
        assertEquals("caf~c3~a9", JobMessages.queueSafe("café"));
        JobMessages messages = new JobMessages("ocr", new FairShare(Set.of("x.high", "x~2ehigh")), JSON);
        assertEquals("ocr.tenant.x~2ehigh", messages.requests(Lane.NORMAL, "x.high"));
        assertEquals("ocr.tenant.x~7e2ehigh", messages.requests(Lane.NORMAL, "x~2ehigh"), "an escape is escaped");
    }
}
