package dev.asyncocr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.ServiceRate;
import dev.asyncocr.job.StoreUnavailableException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The shared store: every replica reads and changes the same jobs. Keys under the prefix:
 * {@code job:<id>} (the record as JSON), {@code image:<id>}, {@code idem:<key>} (the job holding an
 * idempotency key), all expiring with the TTL, and {@code queued}, a sorted set of queued job ids scored by
 * their expiry, so that the queue depth is one exact count however many replicas there are, and
 * {@code deliveries}, the ids of jobs with a pending completion event scored by when it is next due; for the
 * queue's order, {@code sequence}, the last place reserved ({@code INCRBY}: a document reserves one per page),
 * {@code order}, the queued jobs scored by their place (a job's position is its {@code ZRANK}, exact across
 * replicas), and {@code rate}, the measured service rate.
 * <p>
 * Each call is one round trip where it can be: a creation, the queue depth, and a transition are one Lua
 * script each, sent by its SHA (Redis keeps scripts it has run; one it forgot is sent again in full). A
 * transition is a compare-and-set on the record: it writes the change and its index updates only if the
 * record is still the one the change was decided on, and otherwise answers the record as it is, to decide
 * again on. The record it decides on is the one this replica last wrote or read, when it has it, so that
 * a job created, started and finished on one replica costs one round trip per step; a start also answers
 * the image. A Redis that cannot be reached (refused, lost, or no answer within {@code timeout})
 * surfaces as {@link StoreUnavailableException}; the client reconnects on the next call.
 */
public class RedisJobStore implements JobStore {

    /** Records this replica last saw, to decide a transition on without reading first. */
    private static final int KNOWN_RECORDS = 1024;

    /**
     * KEYS: the record, the image, the queue index, the queue order, and the idempotency key when there is one.
     * ARGV: the record, the image, the TTL in ms, the expiry score, the id, the prefix of record keys, the job's
     * place in the queue. Answers the record of the live job that holds the key, or nil once this job is stored.
     */
    private static final Script CREATE = new Script("""
            if KEYS[5] then
              local holder = redis.call('GET', KEYS[5])
              if holder then
                local earlier = redis.call('GET', ARGV[6] .. holder)
                if earlier then return earlier end
              end
              redis.call('SET', KEYS[5], ARGV[5], 'PX', ARGV[3])
            end
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
            redis.call('ZADD', KEYS[4], ARGV[7], ARGV[5])
            return false""");

    /**
     * Runs the commands in ARGV after the first (each: its word count, then its words) only if KEYS[1]
     * holds ARGV[1]; answers {1} when they ran, with KEYS[2]'s value when KEYS[2] is given, and
     * {0, what KEYS[1] holds} when not.
     */
    private static final Script COMPARE_AND_RUN = new Script("""
            local current = redis.call('GET', KEYS[1])
            if current ~= ARGV[1] then return {0, current} end
            local i = 2
            while i <= #ARGV do
              local n = tonumber(ARGV[i])
              redis.call(unpack(ARGV, i + 1, i + n))
              i = i + n + 1
            end
            if KEYS[2] then return {1, redis.call('GET', KEYS[2])} end
            return {1}""");

    /**
     * KEYS: the queue index, the queue order; ARGV[1]: now in ms. Drops jobs that expired while queued (from
     * both), answers the rest.
     */
    private static final Script QUEUED_COUNT = new Script("""
            for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], 0, ARGV[1])) do
              redis.call('ZREM', KEYS[2], id)
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
            return redis.call('ZCARD', KEYS[1])""");

    /** KEYS: the queue order, the rate; ARGV[1]: the id. Answers {its 0-based rank or -1, the rate or nil}. */
    private static final Script STANDING = new Script("""
            local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
            return {rank or -1, redis.call('GET', KEYS[2])}""");

    private final RedisDataSource redis;
    private final Redis client;
    private final Duration timeout;
    private final ValueCommands<String, String> strings;
    private final ValueCommands<String, byte[]> bytes;
    private final SortedSetCommands<String, String> sortedSets;
    private final JobJson json;
    private final Duration ttl;
    private final String prefix;
    private final Map<String, String> known = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KNOWN_RECORDS;
        }
    });

    /** @param timeout how long a call waits for Redis to answer ({@code quarkus.redis.timeout}) */
    public RedisJobStore(RedisDataSource redis, ObjectMapper json, Duration ttl, String prefix, Duration timeout) {
        this.redis = redis;
        this.client = redis.getReactive().getRedis();
        this.timeout = timeout;
        this.strings = redis.value(String.class);
        this.bytes = redis.value(byte[].class);
        this.sortedSets = redis.sortedSet(String.class);
        this.json = new JobJson(json);
        this.ttl = ttl;
        this.prefix = prefix;
    }

    @Override
    public OcrJob create(OcrJob job, byte[] image) {
        return call(() -> {
            String record = json.encode(job);
            List<String> keys = new ArrayList<>(List.of(jobKey(job.id()), imageKey(job.id()), queuedKey(), orderKey()));
            if (job.idempotencyKey() != null) {
                keys.add(idemKey(job.idempotencyKey()));
            }
            Response earlier = run(CREATE, keys, record, image, ttl.toMillis(), expiryScore(job), job.id(),
                    jobKey(""), job.schedule().sequence());
            if (earlier != null) {
                return json.decode(earlier.toString());
            }
            known.put(job.id(), record);
            return job;
        });
    }

    @Override
    public Optional<OcrJob> get(String id) {
        return call(() -> Optional.ofNullable(strings.get(jobKey(id))).map(record -> {
            known.put(id, record);
            return json.decode(record);
        }));
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
        return call(() -> doTransition(id, applies, change, false).transition());
    }

    @Override
    public Start start(String id, Set<JobStatus> from, UnaryOperator<OcrJob> change) {
        return call(() -> doTransition(id, job -> from.contains(job.status()), change, true));
    }

    private Start doTransition(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change, boolean withImage) {
        String key = jobKey(id);
        String record = known.get(id);
        boolean read = record == null;
        if (read) {
            record = strings.get(key);
        }
        while (true) {
            if (record == null) { // expired: it leaves the indexes too
                known.remove(id);
                sortedSets.zrem(queuedKey(), id);
                sortedSets.zrem(orderKey(), id);
                sortedSets.zrem(deliveriesKey(), id);
                return new Start(Transition.MISSING, Optional.empty());
            }
            OcrJob current = json.decode(record);
            if (!applies.test(current)) {
                if (!read) { // what this replica saw last may be stale: decide on what is stored
                    record = strings.get(key);
                    read = true;
                    continue;
                }
                known.put(id, record);
                return new Start(new Transition(current, false), Optional.empty());
            }
            OcrJob changed = change.apply(current);
            String written = json.encode(changed);
            List<String> keys = withImage ? List.of(key, imageKey(id)) : List.of(key);
            List<Object> args = new ArrayList<>(List.of(record));
            for (List<String> command : writes(current, changed, written)) {
                args.add(command.size());
                args.addAll(command);
            }
            Response reply = run(COMPARE_AND_RUN, keys, args.toArray());
            if (reply.get(0).toInteger() == 1) {
                known.put(id, written);
                Optional<byte[]> image = withImage ? Optional.ofNullable(reply.get(1)).map(Response::toBytes)
                        : Optional.empty();
                return new Start(new Transition(changed, true), image);
            }
            // another client changed the record since it was read: decide again on what it is now
            record = reply.get(1) == null ? null : reply.get(1).toString();
            read = true;
        }
    }

    /** The commands that write a changed job and keep the indexes in step. */
    private List<List<String>> writes(OcrJob current, OcrJob changed, String record) {
        String id = changed.id();
        List<List<String>> commands = new ArrayList<>();
        if (changed.status().isFinal() && !current.status().isFinal()) { // a result is kept for the TTL from now
            String ttlMs = Long.toString(ttl.toMillis());
            commands.add(List.of("SET", jobKey(id), record, "PX", ttlMs));
            commands.add(JobStore.keepsImage(changed) ? List.of("PEXPIRE", imageKey(id), ttlMs) : List.of("DEL", imageKey(id)));
            if (changed.idempotencyKey() != null) {
                commands.add(List.of("PEXPIRE", idemKey(changed.idempotencyKey()), ttlMs));
            }
        } else {
            commands.add(List.of("SET", jobKey(id), record, "KEEPTTL"));
        }
        if (current.status() == JobStatus.QUEUED && changed.status() != JobStatus.QUEUED) {
            commands.add(List.of("ZREM", queuedKey(), id));
            commands.add(List.of("ZREM", orderKey(), id));
        } else if (current.status() != JobStatus.QUEUED && changed.status() == JobStatus.QUEUED) {
            commands.add(List.of("ZADD", queuedKey(), Long.toString(expiryScore(changed)), id));
            commands.add(List.of("ZADD", orderKey(), Long.toString(changed.schedule().sequence()), id));
        }
        Optional<Instant> due = changed.nextDeliveryAt();
        if (due.isPresent()) {
            commands.add(List.of("ZADD", deliveriesKey(), Long.toString(due.get().toEpochMilli()), id));
        } else if (current.nextDeliveryAt().isPresent()) {
            commands.add(List.of("ZREM", deliveriesKey(), id));
        }
        return commands;
    }

    @Override
    public void delete(String id) {
        call(() -> {
            known.remove(id);
            get(id).map(OcrJob::idempotencyKey).map(this::idemKey)
                    .filter(idem -> id.equals(strings.get(idem)))
                    .ifPresent(idem -> redis.key().del(idem));
            redis.key().del(jobKey(id), imageKey(id));
            sortedSets.zrem(orderKey(), id);
            return sortedSets.zrem(queuedKey(), id);
        });
    }

    @Override
    public long queuedCount() {
        return call(() -> run(QUEUED_COUNT, List.of(queuedKey(), orderKey()), System.currentTimeMillis()).toLong());
    }

    @Override
    public long reserve(int slots) {
        return call(() -> strings.incrby(sequenceKey(), slots) - slots + 1);
    }

    @Override
    public Standing standing(OcrJob job) {
        return call(() -> {
            Response reply = run(STANDING, List.of(orderKey(), rateKey()), job.id());
            Response rate = reply.get(1);
            return new Standing(reply.get(0).toLong() + 1, ServiceRate.decode(rate == null ? null : rate.toString()));
        });
    }

    /** A compare-and-set on the rate, again while other replicas' completions change it under this one. */
    @Override
    public void recordCompletion(Instant at, Duration ran) {
        call(() -> {
            while (true) {
                String current = strings.get(rateKey());
                String next = ServiceRate.next(ServiceRate.decode(current), at, ran).encode();
                boolean written = current == null ? strings.setnx(rateKey(), next)
                        : run(COMPARE_AND_RUN, List.of(rateKey()), current, 3, "SET", rateKey(), next).get(0).toInteger() == 1;
                if (written) {
                    return null;
                }
            }
        });
    }

    @Override
    public ServiceRate serviceRate() {
        return call(() -> ServiceRate.decode(strings.get(rateKey())));
    }

    @Override
    public List<String> dueDeliveries(Instant now, int limit) {
        return call(() -> sortedSets.zrangebyscore(deliveriesKey(), ScoreRange.from(0, now.toEpochMilli()),
                new ZRangeArgs().limit(0, limit)));
    }

    /** A Lua script and the SHA-1 that Redis knows it by once it has run it. */
    private record Script(String source, String sha) {

        Script(String source) {
            this(source, sha1(source));
        }

        private static String sha1(String source) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-1", e);
            }
        }
    }

    /** Runs a script by its SHA, or in full when Redis does not have it (restarted, or flushed its scripts). */
    private Response run(Script script, List<String> keys, Object... args) {
        try {
            return send(request(Command.EVALSHA, script.sha(), keys, args));
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                throw e;
            }
            return send(request(Command.EVAL, script.source(), keys, args));
        }
    }

    private static Request request(Command command, String script, List<String> keys, Object... args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] binary) {
                request.arg(binary);
            } else {
                request.arg(arg.toString());
            }
        }
        return request;
    }

    private Response send(Request request) {
        return client.send(request).await().atMost(timeout);
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

    private String orderKey() {
        return prefix + "order";
    }

    private String sequenceKey() {
        return prefix + "sequence";
    }

    private String rateKey() {
        return prefix + "rate";
    }

    private String deliveriesKey() {
        return prefix + "deliveries";
    }

}
