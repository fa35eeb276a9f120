package dev.asyncocr.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.Delivery;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract against SQLite in a fresh folder per test, and what only a file store must do. */
@QuarkusTest
class FileJobStoreTest extends JobStoreContract {

    @Inject
    ObjectMapper json;

    @TempDir
    Path folder;

    private final List<FileJobStore> opened = new ArrayList<>();

    @Override
    JobStore store() {
        return open();
    }

    private FileJobStore open() {
        FileJobStore store = new FileJobStore(folder.resolve(JobStoreProducer.DATABASE), json, TTL, clock);
        opened.add(store);
        return store;
    }

    @AfterEach
    void close() {
        opened.forEach(FileJobStore::close);
    }

    @Test
    void whatWasStoredIsThereAfterAReopen() {
        FileJobStore first = open();
        OcrJob queued = first.create(queued("key-kept"), new byte[]{4, 5, 6});
        OcrJob owing = first.create(queued(null), new byte[]{1});
        first.transition(owing.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.SUCCEEDED)
                .withDeliveries(List.of(Delivery.pending(Delivery.Target.CALLBACK, "http://receiver.test/", now()))));
        first.close();

        JobStore again = open();
        assertEquals(queued, again.get(queued.id()).orElseThrow());
        assertArrayEquals(new byte[]{4, 5, 6}, again.image(queued.id()).orElseThrow());
        assertEquals(queued.id(), again.idempotentJobId("key-kept").orElseThrow());
        assertEquals(1, again.queuedCount());
        assertEquals(List.of(owing.id()), again.dueDeliveries(now(), 10));
    }

    @Test
    void aDatabaseFromBeforeTheQueueOrderAndTenantsIsOpenedWithItsJobsAtPlaceZeroAndListed() throws Exception {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + folder.resolve(JobStoreProducer.DATABASE));
        OcrJob earlier = owned(queued(null), "tenant a", now());
        try (Connection db = source.getConnection(); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, idempotency_key TEXT,"
                    + " expires_at INTEGER NOT NULL, delivery_due INTEGER, record TEXT NOT NULL)");
            sql.execute("CREATE TABLE images (id TEXT PRIMARY KEY, image BLOB NOT NULL)");
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO jobs VALUES (?, 'QUEUED', NULL, ?, NULL, ?)")) {
                insert.setString(1, earlier.id());
                insert.setLong(2, now().plus(TTL).toEpochMilli());
                insert.setString(3, json.writeValueAsString(earlier));
                insert.executeUpdate();
            }
        }
        JobStore store = open();
        OcrJob later = store.create(queued(null, store.reserve(1)), new byte[]{1});
        assertEquals(1, store.standing(earlier).position(), "the job stored before goes first");
        assertEquals(2, store.standing(later).position());
        assertEquals(List.of(earlier), store.list("tenant a", null, null, 10), "its tenant filled in from its record");
        assertEquals(1, store.activeWork("tenant a"));
    }

    @Test
    void expiredJobsDoNotGrowTheFile() throws IOException {
        JobStore store = store();
        byte[] image = new byte[256 * 1024];
        long[] sizes = new long[6];
        for (int round = 0; round < sizes.length; round++) {
            for (int i = 0; i < 20; i++) {
                store.create(queued(null), image);
            }
            passTtl();
            store.create(queued(null), new byte[]{1}); // the sweep runs with the first write after a minute
            sizes[round] = folderBytes();
        }
        assertTrue(sizes[sizes.length - 1] <= sizes[1] * 1.25, "the files grew with expired jobs: "
                + Arrays.toString(sizes));
    }

    private long folderBytes() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
