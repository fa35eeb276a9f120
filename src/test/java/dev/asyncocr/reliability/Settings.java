package dev.asyncocr.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.testing.ServiceReplicas;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the reliability tests share: the replicas' settings, and a look straight into Redis or the file store. */
final class Settings {

    private Settings() {
    }

    /**
     * The production shape ({@code ServiceReplicas}) with {@code workers} jobs at once, callbacks to loopback
     * allowed, signed, and retried quickly and for long (0.5 s doubling to 2 s, up to 1000 sends), as an
     * outage of a minute must not exhaust them.
     */
    static Map<String, String> replica(int workers) {
        return Map.of(
                "OCR_WORKER_CONCURRENCY", String.valueOf(workers),
                "OCR_CALLBACK_ALLOW_PRIVATE_TARGETS", "true",
                "OCR_CALLBACK_SIGNING_SECRETS", "whsec_cmVsaWFiaWxpdHkgdGVzdHMnIHNpZ25pbmcga2V5",
                "OCR_CALLBACK_INITIAL_BACKOFF", "500ms",
                "OCR_CALLBACK_MAX_BACKOFF", "2s",
                "OCR_CALLBACK_MAX_ATTEMPTS", "1000",
                "OCR_CALLBACK_POLL_INTERVAL", "200ms");
    }

    /** The stored status of each job (as {@code job:<id>} holds it under {@code prefix}); absent ones left out. */
    static Map<String, String> storedStatuses(String prefix, List<String> ids) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> statuses = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 200) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 200));
            Request mget = Request.cmd(Command.MGET);
            batch.forEach(id -> mget.arg(prefix + "job:" + id));
            Response values = ServiceReplicas.redis(mget);
            for (int i = 0; i < batch.size(); i++) {
                Response value = values.get(i);
                if (value != null) {
                    statuses.put(batch.get(i), json.readTree(value.toString()).path("status").asText());
                }
            }
        }
        return statuses;
    }

    /** The stored status of each job in the file store's {@code database}; absent ones left out. */
    static Map<String, String> fileStatuses(Path database, List<String> ids) throws Exception {
        Map<String, String> statuses = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement select = db.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            for (String id : ids) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        statuses.put(id, row.getString(1));
                    }
                }
            }
        }
        return statuses;
    }
}
