package dev.asyncocr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.StoreUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The shared store: every replica reads and changes the same jobs. Keys under the prefix:
 * {@code job:<id>} (the record as JSON), {@code image:<id>}, {@code idem:<key>} (the job holding an
 * idempotency key), all expiring with the TTL, and {@code queued}, a sorted set of queued job ids scored by
 * their expiry, so that the queue depth is one exact count however many replicas there are, and
 * {@code deliveries}, the ids of jobs with a pending completion event scored by when it is next due.
 * A transition reads the record, then writes the change and its index updates in one compare-and-set
 * script that runs only if the record is still the one read, and is retried when another client changed
 * it first: two round trips, where WATCH/MULTI/EXEC took one per command. A Redis that cannot be reached
 * (refused, lost, or no answer within {@code quarkus.redis.timeout}) surfaces as
 * {@link StoreUnavailableException}; the client reconnects on the next call.
 */
public class RedisJobStore implements JobStore {

    private final RedisDataSource redis;
    private final ValueCommands<String, String> strings;
    private final ValueCommands<String, byte[]> bytes;
    private final SortedSetCommands<String, String> sortedSets;
    private final JobJson json;
    private final Duration ttl;
    private final String prefix;

    /**
     * Runs the commands in ARGV after the first (each: its word count, then its words) only if KEYS[1]
     * holds ARGV[1], or does not exist when ARGV[1] is empty; answers 1 when they ran, 0 when not.
     */
    private static final String COMPARE_AND_RUN = """
            local current = redis.call('GET', KEYS[1])
            if (ARGV[1] == '' and current) or (ARGV[1] ~= '' and current ~= ARGV[1]) then return 0 end
            local i = 2
            while i <= #ARGV do
              local n = tonumber(ARGV[i])
              redis.call(unpack(ARGV, i + 1, i + n))
              i = i + n + 1
            end
            return 1""";

    public RedisJobStore(RedisDataSource redis, ObjectMapper json, Duration ttl, String prefix) {
        this.redis = redis;
        this.strings = redis.value(String.class);
        this.bytes = redis.value(byte[].class);
        this.sortedSets = redis.sortedSet(String.class);
        this.json = new JobJson(json);
        this.ttl = ttl;
        this.prefix = prefix;
    }

    @Override
    public OcrJob create(OcrJob job, byte[] image) {
        return call(() -> doCreate(job, image));
    }

    private OcrJob doCreate(OcrJob job, byte[] image) {
        if (job.idempotencyKey() != null) {
            String holder = strings.setGet(idemKey(job.idempotencyKey()), job.id(), new SetArgs().nx().px(ttl));
            if (holder != null) {
                Optional<OcrJob> earlier = get(holder);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
                strings.set(idemKey(job.idempotencyKey()), job.id(), new SetArgs().px(ttl)); // its job is gone
            }
        }
        bytes.set(imageKey(job.id()), image, new SetArgs().px(ttl)); // without its record, it expires unseen
        // the record and its place in the queue all or nothing: a job half written by a failing connection would
        // be found through its idempotency key by the client's retry and answered as accepted, yet never queued
        compareAndRun(jobKey(job.id()), null, List.of(
                List.of("SET", jobKey(job.id()), json.encode(job), "PX", Long.toString(ttl.toMillis())),
                List.of("ZADD", queuedKey(), Long.toString(expiryScore(job)), job.id())));
        return job;
    }

    @Override
    public Optional<OcrJob> get(String id) {
        return call(() -> Optional.ofNullable(strings.get(jobKey(id))).map(json::decode));
    }

    @Override
    public Optional<String> idempotentJobId(String key) {
        return call(() -> Optional.ofNullable(strings.get(idemKey(key))));
    }

    @Override
    public Optional<byte[]> image(String id) {
        return call(() -> Optional.ofNullable(bytes.get(imageKey(id))));
    }

    @Override
    public Transition transition(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change) {
        return call(() -> doTransition(id, applies, change));
    }

    private Transition doTransition(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change) {
        String key = jobKey(id);
        while (true) {
            String record = strings.get(key);
            if (record == null) { // expired: it leaves the indexes too
                sortedSets.zrem(queuedKey(), id);
                sortedSets.zrem(deliveriesKey(), id);
                return Transition.MISSING;
            }
            OcrJob current = json.decode(record);
            if (!applies.test(current)) {
                return new Transition(current, false);
            }
            OcrJob changed = change.apply(current);
            if (compareAndRun(key, record, writes(current, changed))) {
                return new Transition(changed, true);
            }
            // another client changed the record since we read it: decide again on what it is now
        }
    }

    /** The commands that write a changed job and keep the indexes in step. */
    private List<List<String>> writes(OcrJob current, OcrJob changed) {
        String id = changed.id();
        List<List<String>> commands = new ArrayList<>();
        if (changed.status().isFinal() && !current.status().isFinal()) { // a result is kept for the TTL from now
            String ttlMs = Long.toString(ttl.toMillis());
            commands.add(List.of("SET", jobKey(id), json.encode(changed), "PX", ttlMs));
            commands.add(List.of("DEL", imageKey(id)));
            if (changed.idempotencyKey() != null) {
                commands.add(List.of("PEXPIRE", idemKey(changed.idempotencyKey()), ttlMs));
            }
        } else {
            commands.add(List.of("SET", jobKey(id), json.encode(changed), "KEEPTTL"));
        }
        if (current.status() == JobStatus.QUEUED && changed.status() != JobStatus.QUEUED) {
            commands.add(List.of("ZREM", queuedKey(), id));
        } else if (current.status() != JobStatus.QUEUED && changed.status() == JobStatus.QUEUED) {
            commands.add(List.of("ZADD", queuedKey(), Long.toString(expiryScore(changed)), id));
        }
        Optional<Instant> due = changed.nextDeliveryAt();
        if (due.isPresent()) {
            commands.add(List.of("ZADD", deliveriesKey(), Long.toString(due.get().toEpochMilli()), id));
        } else if (current.nextDeliveryAt().isPresent()) {
            commands.add(List.of("ZREM", deliveriesKey(), id));
        }
        return commands;
    }

    /**
     * Runs {@code commands} in one atomic step if {@code key} still holds {@code expected} (null: does not
     * exist); false when it does not.
     */
    private boolean compareAndRun(String key, String expected, List<List<String>> commands) {
        List<String> args = new ArrayList<>(List.of(COMPARE_AND_RUN, "1", key, expected == null ? "" : expected));
        for (List<String> command : commands) {
            args.add(Integer.toString(command.size()));
            args.addAll(command);
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).toInteger() == 1;
    }

    @Override
    public void delete(String id) {
        call(() -> {
            get(id).map(OcrJob::idempotencyKey).map(this::idemKey)
                    .filter(idem -> id.equals(strings.get(idem)))
                    .ifPresent(idem -> redis.key().del(idem));
            redis.key().del(jobKey(id), imageKey(id));
            return sortedSets.zrem(queuedKey(), id);
        });
    }

    @Override
    public long queuedCount() {
        return call(() -> {
            sortedSets.zremrangebyscore(queuedKey(), ScoreRange.from(0, System.currentTimeMillis())); // expired while queued
            return sortedSets.zcard(queuedKey());
        });
    }

    @Override
    public List<String> dueDeliveries(Instant now, int limit) {
        return call(() -> sortedSets.zrangebyscore(deliveriesKey(), ScoreRange.from(0, now.toEpochMilli()),
                new ZRangeArgs().limit(0, limit)));
    }

    /** Runs Redis commands, telling an unreachable Redis (worth retrying) from any other failure. */
    private static <T> T call(Supplier<T> commands) {
        try {
            return commands.get();
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            if (unreachable(e)) {
                throw new StoreUnavailableException("The Redis job store is unreachable: " + rootMessage(e), e);
            }
            throw e;
        }
    }

    /** Connection refused, reset or closed, or no answer in time: what a Redis restart looks like to a client. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return false; // a record we cannot read: Redis answered
            }
            if (lostConnection(t)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (lostConnection(suppressed) || lostConnection(suppressed.getCause())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean lostConnection(Throwable t) {
        return t instanceof IOException || t instanceof TimeoutException || t instanceof VertxException
                || t instanceof NoStackTraceThrowable // "Connection is closed": lost mid-command
                || t instanceof io.smallrye.mutiny.TimeoutException
                // a command whose connection closed under it can fail with this error reply (seen on MULTI/EXEC)
                || (t != null && "CONNECTION_CLOSED".equals(t.getMessage()));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private long expiryScore(OcrJob job) {
        return job.submittedAt().plus(ttl).toEpochMilli();
    }

    private String jobKey(String id) {
        return prefix + "job:" + id;
    }

    private String imageKey(String id) {
        return prefix + "image:" + id;
    }

    private String idemKey(String key) {
        return prefix + "idem:" + key;
    }

    private String queuedKey() {
        return prefix + "queued";
    }

    private String deliveriesKey() {
        return prefix + "deliveries";
    }

}
