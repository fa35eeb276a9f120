package dev.asyncocr.reliability;

import dev.asyncocr.store.JobStoreProducer;
import dev.asyncocr.testing.PrometheusScrape;
import dev.asyncocr.testing.ServiceReplicas;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReplicaKillUnderLoadIT} on the embedded defaults ({@code java -jar} with nothing but a data
 * folder): the broker's journal and the file store carry every accepted job and owed callback over the
 * SIGKILL. Then a second process on the same folder is refused, and after a clean stop and start the
 * finished jobs answer as before.
 */
class EmbeddedKillUnderLoadIT extends ReplicaKillUnderLoadIT {

    @Override
    ServiceReplicas shape() {
        return ServiceReplicas.embedded();
    }

    @Override
    Map<String, String> storedStatuses(List<String> ids) throws Exception {
        return Settings.fileStatuses(replicas.dataDir().resolve(JobStoreProducer.DATABASE), ids);
    }

    @Test
    @Override
    void jobsInFlightWhenTheProcessIsKilledFinishOnceAfterTheRestart() throws Exception {
        int port = ServiceReplicas.freePort();
        Restarted restarted = killMidLoadAndRestart(port);
        assertEquals(0, PrometheusScrape.now().value("ocr_queue_depth"), "every job is final");

        Process intruder = replicas.launch(ServiceReplicas.freePort(), "intruder", Settings.replica(2));
        assertTrue(intruder.waitFor(2, TimeUnit.MINUTES), "a second process on the folder kept running");
        assertNotEquals(0, intruder.exitValue());
        assertTrue(replicas.log("intruder").contains("(ocr.data-dir) is in use by another async-ocr process"),
                replicas.log("intruder"));

        restarted.replica().destroy(); // SIGTERM: a clean stop
        assertTrue(restarted.replica().waitFor(2, TimeUnit.MINUTES), "the replica did not stop");
        replicas.start(port, "third", Settings.replica(2));
        assertEquals(restarted.finals(), Outcomes.awaitFinal(port, restarted.finals().keySet(), Duration.ofSeconds(30)),
                "the results after a clean restart");
    }
}
