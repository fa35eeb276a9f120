package dev.asyncocr.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.FairShare;
import dev.asyncocr.job.JobCursor;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.ServiceRate;
import dev.asyncocr.job.PagePart;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.job.Progress;
import dev.asyncocr.job.StoreUnavailableException;
import dev.asyncocr.job.TenantQuotaExceededException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The shared store: every replica reads and changes the same jobs. Keys under the prefix:
 * {@code job:<id>} (the record as JSON), {@code image:<id>}, {@code idem:<key>} (the job holding an
 * idempotency key), all expiring with the TTL, and {@code queued}, a sorted set of queued job ids scored by
 * their expiry, so that the queue depth is one exact count however many replicas there are, and
 * {@code deliveries}, the ids of jobs with a pending completion event scored by when it is next due; for the
 * queue's order, {@code sequence}, the last place reserved ({@code INCRBY}: a document reserves one per page),
 * {@code order}, the tasks not yet started (the members of {@code queued}) scored by their place, lane first
 * ({@link dev.asyncocr.job.Schedule#order}; a document's n-th page at its job's plus n - 1), so that a job's position
 * is the {@code ZRANK} of its first, exact across replicas, and {@code rate}, the measured service rate. A
 * document job has, beside its record, {@code pages:<id>} (page number to page task), {@code parts:<id>}
 * (page number to the part it reads) and {@code progress:<id>} (counts of succeeded and failed pages, moved
 * by the page transition that makes a page final, so that exactly one sees the last page done); its queued
 * pages are in {@code queued} as {@code <id>#<page>}. Per tenant ({@code :<tenant>} after the name; without it, the
 * jobs of no tenant): {@code listing}, its job ids scored by creation time, trimmed of ids older than any live job
 * at each creation and expiring when the tenant submits nothing for two TTLs; {@code active}, its work queued or
 * running (an image's job id, or {@code <id>#<n>} for each of a document's pages) scored by expiry, whose count
 * its quota bounds in the creation script.
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
    /** Ids of a tenant's listing read at once. */
    private static final int LIST_BATCH = 100;

    /** Lua: runs the commands in ARGV from {@code from} on, each its word count and then its words. */
    private static final String RUN_COMMANDS = """
            local function run(from)
              local i = from
              while i <= #ARGV do
                local n = tonumber(ARGV[i])
                redis.call(unpack(ARGV, i + 1, i + n))
                i = i + n + 1
              end
            end
            """;

    /**
     * KEYS: the idempotency key (empty when there is none), the tenant's active work. ARGV: the id, the prefix of
     * record keys, the TTL in ms, the tenant's quota (-1 for none), the job's work units, now in ms, then the
     * commands that store the job. Answers {1, the record of the live job that holds the key}, {2, the tenant's
     * active work} when the quota has no room for the job, or nil once this job is stored.
     */
    private static final Script CREATE = new Script(RUN_COMMANDS + """
            if KEYS[1] ~= '' then
              local holder = redis.call('GET', KEYS[1])
              if holder then
                local earlier = redis.call('GET', ARGV[2] .. holder)
                if earlier then return {1, earlier} end
              end
            end
            if tonumber(ARGV[4]) >= 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
              local active = redis.call('ZCARD', KEYS[2])
              if active + tonumber(ARGV[5]) > tonumber(ARGV[4]) then return {2, active} end
            end
            if KEYS[1] ~= '' then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            end
            run(7)
            return false""");

    /**
     * Runs the commands in ARGV after the first only if KEYS[1] holds ARGV[1]; answers {1} when they ran,
     * with KEYS[2]'s value when KEYS[2] is given, and {0, what KEYS[1] holds} when not.
     */
    private static final Script COMPARE_AND_RUN = new Script(RUN_COMMANDS + """
            local current = redis.call('GET', KEYS[1])
            if current ~= ARGV[1] then return {0, current} end
            run(2)
            if KEYS[2] then return {1, redis.call('GET', KEYS[2])} end
            return {1}""");

    /**
     * KEYS: a document's record, its pages, its progress; ARGV[1]: a page. Answers the record, the page's record
     * and the counts of succeeded and failed pages, as of one moment.
     */
    private static final Script READ_PAGE = new Script("""
            local counts = redis.call('HMGET', KEYS[3], 'succeeded', 'failed')
            return {redis.call('GET', KEYS[1]), redis.call('HGET', KEYS[2], ARGV[1]), counts[1], counts[2]}""");

    /**
     * A page's compare-and-set. KEYS as {@link #READ_PAGE}; ARGV: the job's record and the page's record the
     * change was decided on with the page between them, then the commands. Runs the commands only if both
     * records are still those; answers {1, the counts after} when they ran, and {0, what READ_PAGE answers}
     * when not.
     */
    private static final Script COMPARE_PAGE_AND_RUN = new Script(RUN_COMMANDS + """
            local job = redis.call('GET', KEYS[1])
            local page = redis.call('HGET', KEYS[2], ARGV[2])
            if job ~= ARGV[1] or page ~= ARGV[3] then
              local counts = redis.call('HMGET', KEYS[3], 'succeeded', 'failed')
              return {0, job, page, counts[1], counts[2]}
            end
            run(4)
            local counts = redis.call('HMGET', KEYS[3], 'succeeded', 'failed')
            return {1, counts[1], counts[2]}""");

    /**
     * KEYS: the queue index, the queue order, the shares with orders of their own; ARGV: now in ms, the prefix of a
     * share's order's key. Drops jobs that expired while queued (from all three), answers the rest.
     */
    private static final Script QUEUED_COUNT = new Script("""
            local shares = redis.call('SMEMBERS', KEYS[3])
            for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], 0, ARGV[1])) do
              redis.call('ZREM', KEYS[2], id)
              for _, share in ipairs(shares) do redis.call('ZREM', ARGV[2] .. share, id) end
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
            return redis.call('ZCARD', KEYS[1])""");

    /**
     * KEYS: the queue order, the rate, the shares with orders of their own; ARGV: the first and the last place a job
     * reserved, the first place of its lane and the first after it, the prefix of a share's order's key. Answers
     * {how many of its tasks wait, the rate or nil}, then, when some wait, {the tasks of higher lanes, those of its
     * lane before its first, all of its lane}, then the last two for each share with an order of its own, after its
     * name.
     */
    private static final Script STANDING = new Script("""
            local rate = redis.call('GET', KEYS[2])
            local first = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', 0, 1)
            if #first == 0 then return {0, rate} end
            local before = '(' .. first[2]
            local lane_end = '(' .. ARGV[4]
            local reply = {redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[2]), rate,
              redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. ARGV[3]), redis.call('ZCOUNT', KEYS[1], ARGV[3], before),
              redis.call('ZCOUNT', KEYS[1], ARGV[3], lane_end)}
            for _, share in ipairs(redis.call('SMEMBERS', KEYS[3])) do
              table.insert(reply, share)
              table.insert(reply, redis.call('ZCOUNT', ARGV[5] .. share, ARGV[3], before))
              table.insert(reply, redis.call('ZCOUNT', ARGV[5] .. share, ARGV[3], lane_end))
            end
            return reply""");

    private final RedisDataSource redis;
    private final Redis client;
    private final Duration timeout;
    private final ValueCommands<String, String> strings;
    private final ValueCommands<String, byte[]> bytes;
    private final SortedSetCommands<String, String> sortedSets;
    private final HashCommands<String, String, String> hashes;
    private final HashCommands<String, String, byte[]> partHashes;
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
        this.hashes = redis.hash(String.class);
        this.partHashes = redis.hash(byte[].class);
        this.json = new JobJson(json);
        this.ttl = ttl;
        this.prefix = prefix;
    }

    @Override
    public OcrJob create(OcrJob job, byte[] image, OptionalLong maxActive) {
        List<List<Object>> contents = new ArrayList<>(List.of(
                List.of("SET", imageKey(job.id()), image, "PX", ttl.toMillis()),
                List.of("ZADD", queuedKey(), expiryScore(job), job.id())));
        contents.addAll(ordered(job, List.of(job.schedule().order(), job.id())));
        return create(job, maxActive, contents);
    }

    @Override
    public OcrJob createDocument(OcrJob job, List<PagePart> parts, OptionalLong maxActive) {
        String id = job.id();
        List<Object> pages = new ArrayList<>(List.of("HSET", pagesKey(id)));
        List<Object> bytes = new ArrayList<>(List.of("HSET", partsKey(id)));
        List<Object> queued = new ArrayList<>(List.of("ZADD", queuedKey()));
        List<Object> order = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            PagePart part = parts.get(i);
            pages.addAll(List.of(part.page(), json.encode(PageTask.queued(part.page()))));
            bytes.addAll(List.of(part.page(), part.bytes()));
            queued.addAll(List.of(expiryScore(job), pageMember(id, part.page())));
            order.addAll(List.of(job.schedule().order() + i, pageMember(id, part.page())));
        }
        List<List<Object>> contents = new ArrayList<>(List.of(pages, bytes, queued,
                List.of("HSET", progressKey(id), "succeeded", 0, "failed", 0),
                List.of("PEXPIRE", pagesKey(id), ttl.toMillis()), List.of("PEXPIRE", partsKey(id), ttl.toMillis()),
                List.of("PEXPIRE", progressKey(id), ttl.toMillis())));
        contents.addAll(ordered(job, order));
        return create(job, maxActive, contents);
    }

    /**
     * Stores {@code job} with what {@code contents} write, in one step, unless its idempotency key is held or its
     * tenant's quota has no room for it. The job joins its tenant's listing (whose ids older than any live job's
     * go at the same time) and active work.
     */
    private OcrJob create(OcrJob job, OptionalLong maxActive, List<List<Object>> contents) {
        return call(() -> {
            String record = json.encode(job);
            String listing = listingKey(job.tenant());
            String active = activeKey(job.tenant());
            long created = job.submittedAt().toEpochMilli();
            long longestLife = ttl.toMillis() * 2; // queued for a TTL at most, then kept for a TTL once final
            List<Object> activeWork = new ArrayList<>(List.of("ZADD", active));
            activeMembers(job).forEach(member -> activeWork.addAll(List.of(expiryScore(job), member)));
            List<List<Object>> commands = new ArrayList<>(contents);
            commands.add(List.of("SET", jobKey(job.id()), record, "PX", ttl.toMillis()));
            commands.add(List.of("ZADD", listing, created, job.id()));
            commands.add(List.of("ZREMRANGEBYSCORE", listing, "-inf", "(" + (created - longestLife)));
            commands.add(List.of("PEXPIRE", listing, longestLife));
            commands.add(activeWork);
            commands.add(List.of("PEXPIRE", active, ttl.toMillis()));
            List<String> keys = List.of(job.idempotencyKey() == null ? "" : idemKey(job.idempotencyKey()), active);
            Response refused = run(CREATE, keys, arguments(List.of(job.id(), jobKey(""), ttl.toMillis(),
                    maxActive.orElse(-1), job.workUnits(), System.currentTimeMillis()), commands));
            if (refused != null && refused.get(0).toInteger() == 2) {
                throw new TenantQuotaExceededException(maxActive.orElseThrow(), refused.get(1).toLong());
            }
            if (refused != null) {
                return json.decode(refused.get(1).toString());
            }
            known.put(job.id(), record);
            return job;
        });
    }

    /** What a job adds to its tenant's active work: its id for an image's job, one per page for a document. */
    private List<String> activeMembers(OcrJob job) {
        return job.isDocument() ? IntStream.rangeClosed(1, job.pagesTotal())
                .mapToObj(unit -> pageMember(job.id(), unit)).toList() : List.of(job.id());
    }

    @Override
    public long activeWork(String tenant) {
        return call(() -> sortedSets.zcount(activeKey(tenant),
                ScoreRange.from((double) System.currentTimeMillis(), Double.POSITIVE_INFINITY)));
    }

    /**
     * Reads the tenant's listing newest first in batches, with the records, until {@code limit} jobs pass the
     * filters; ids whose records expired leave the listing as they are met.
     */
    @Override
    public List<OcrJob> list(String tenant, JobStatus status, JobCursor after, int limit) {
        return call(() -> {
            String listing = listingKey(tenant);
            String max = after == null ? "+inf" : Long.toString(after.createdMillis());
            List<OcrJob> found = new ArrayList<>();
            int offset = 0;
            while (found.size() < limit) {
                Response ids = send(Request.cmd(Command.ZREVRANGEBYSCORE).arg(listing).arg(max).arg("-inf")
                        .arg("LIMIT").arg(offset).arg(LIST_BATCH));
                if (ids.size() == 0) {
                    return found;
                }
                Request records = Request.cmd(Command.MGET);
                ids.forEach(id -> records.arg(jobKey(id.toString())));
                Response stored = send(records);
                offset += ids.size();
                for (int i = 0; i < ids.size() && found.size() < limit; i++) {
                    if (stored.get(i) == null) {
                        sortedSets.zrem(listing, ids.get(i).toString());
                        offset--;
                        continue;
                    }
                    OcrJob job = json.decode(stored.get(i).toString());
                    if ((after == null || after.precedes(job)) && (status == null || job.status() == status)) {
                        found.add(job);
                    }
                }
            }
            return found;
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
                unorderEverywhere(id);
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
            Response reply = run(COMPARE_AND_RUN, keys, arguments(List.of(record), writes(current, changed, written)));
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
    private List<List<Object>> writes(OcrJob current, OcrJob changed, String record) {
        String id = changed.id();
        List<List<Object>> commands = new ArrayList<>();
        boolean finishing = changed.status().isFinal() && !current.status().isFinal();
        if (finishing) { // a result is kept for the TTL from now; its work no longer counts against its tenant
            String ttlMs = Long.toString(ttl.toMillis());
            List<Object> released = new ArrayList<>(List.of("ZREM", activeKey(changed.tenant())));
            released.addAll(activeMembers(changed));
            commands.add(released);
            commands.add(List.of("SET", jobKey(id), record, "PX", ttlMs));
            commands.add(JobStore.keepsImage(changed) ? List.of("PEXPIRE", imageKey(id), ttlMs) : List.of("DEL", imageKey(id)));
            if (changed.idempotencyKey() != null) {
                commands.add(List.of("PEXPIRE", idemKey(changed.idempotencyKey()), ttlMs));
            }
        } else {
            commands.add(List.of("SET", jobKey(id), record, "KEEPTTL"));
        }
        if (changed.isDocument()) {
            if (finishing) {
                commands.addAll(documentFinishing(changed));
            }
        } else if (current.status() == JobStatus.QUEUED && changed.status() != JobStatus.QUEUED) {
            commands.add(List.of("ZREM", queuedKey(), id));
            orderKeys(changed).forEach(order -> commands.add(List.of("ZREM", order, id)));
        } else if (current.status() != JobStatus.QUEUED && changed.status() == JobStatus.QUEUED) {
            commands.add(List.of("ZADD", queuedKey(), Long.toString(expiryScore(changed)), id));
            commands.addAll(ordered(changed, List.of(Long.toString(changed.schedule().order()), id)));
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
     * A document that turns final: its pages and progress are kept for the TTL from now, its parts with them
     * where {@link JobStore#keepsImage} says so (else they go), and its pages no longer count as queued (a
     * cancelled document's pages never run).
     */
    private List<List<Object>> documentFinishing(OcrJob job) {
        String id = job.id();
        List<List<Object>> commands = new ArrayList<>(unqueued(job, taskMembers(job)));
        commands.add(JobStore.keepsImage(job) ? List.of("PEXPIRE", partsKey(id), ttl.toMillis())
                : List.of("DEL", partsKey(id)));
        commands.add(List.of("PEXPIRE", pagesKey(id), ttl.toMillis()));
        commands.add(List.of("PEXPIRE", progressKey(id), ttl.toMillis()));
        return commands;
    }

    /**
     * A job's members of {@code queued} and {@code order}: an image's job its id, a document its pages (and its id,
     * which a document queued before its pages had places held in {@code order}).
     */
    private List<String> taskMembers(OcrJob job) {
        String id = job.id();
        List<String> members = new ArrayList<>(List.of(id));
        if (job.isDocument()) {
            pageNumbers(id).forEach(page -> members.add(pageMember(id, page)));
        }
        return members;
    }

    /** The commands that take {@code members}, tasks of {@code job}, out of {@code queued} and the orders. */
    private List<List<Object>> unqueued(OcrJob job, List<String> members) {
        List<List<Object>> commands = new ArrayList<>();
        List<String> indexes = new ArrayList<>(List.of(queuedKey()));
        indexes.addAll(orderKeys(job));
        for (String index : indexes) {
            List<Object> command = new ArrayList<>(List.of("ZREM", index));
            command.addAll(members);
            commands.add(command);
        }
        return commands;
    }

    /** A document's page numbers, fixed when it was created. */
    private List<Integer> pageNumbers(String id) {
        return hashes.hkeys(pagesKey(id)).stream().map(Integer::valueOf).toList();
    }

    @Override
    public Optional<Pages> pages(String id) {
        return call(() -> {
            Optional<OcrJob> job = get(id).filter(OcrJob::isDocument);
            if (job.isEmpty()) {
                return Optional.empty();
            }
            List<PageTask> pages = hashes.hvals(pagesKey(id)).stream().map(r -> json.decode(r, PageTask.class))
                    .sorted(Comparator.comparingInt(PageTask::page)).toList();
            return Optional.of(new Pages(pages, Progress.of(pages)));
        });
    }

    @Override
    public Optional<PageTask> page(String id, int page) {
        return call(() -> Optional.ofNullable(hashes.hget(pagesKey(id), Integer.toString(page)))
                .map(r -> json.decode(r, PageTask.class)));
    }

    @Override
    public Optional<Progress> progress(String id) {
        return call(() -> {
            Response state = run(READ_PAGE, documentKeys(id), 0); // pages are numbered from 1: the counts alone
            return Optional.ofNullable(state.get(0)).map(r -> json.decode(r.toString())).filter(OcrJob::isDocument)
                    .map(job -> progress(job, state.get(2), state.get(3)));
        });
    }

    @Override
    public Optional<byte[]> part(String id, int page) {
        return call(() -> Optional.ofNullable(partHashes.hget(partsKey(id), Integer.toString(page))));
    }

    @Override
    public PageTransition transitionPage(String id, int page, BiPredicate<OcrJob, PageTask> applies,
                                         UnaryOperator<PageTask> change) {
        return call(() -> {
            List<String> keys = documentKeys(id);
            Response state = run(READ_PAGE, keys, page);
            int at = 0; // where READ_PAGE's answer starts in state
            while (true) {
                if (state.get(at) == null) {
                    return PageTransition.MISSING;
                }
                String jobRecord = state.get(at).toString();
                OcrJob job = json.decode(jobRecord);
                String pageRecord = state.get(at + 1) == null ? null : state.get(at + 1).toString();
                PageTask current = pageRecord == null ? null : json.decode(pageRecord, PageTask.class);
                if (current == null || current.status().isFinal() || !applies.test(job, current)) {
                    return new PageTransition(job, current, false, progress(job, state.get(at + 2), state.get(at + 3)));
                }
                PageTask changed = change.apply(current);
                Response reply = run(COMPARE_PAGE_AND_RUN, keys, arguments(List.of(jobRecord, page, pageRecord),
                        pageWrites(job, current, changed)));
                if (reply.get(0).toInteger() == 1) {
                    return new PageTransition(job, changed, true, progress(job, reply.get(1), reply.get(2)));
                }
                // the job or the page changed since they were read: decide again on what they are now
                state = reply;
                at = 1;
            }
        });
    }

    /** The commands that write a changed page and keep the counts and the queue index in step. */
    private List<List<Object>> pageWrites(OcrJob job, PageTask current, PageTask changed) {
        String id = job.id();
        String page = Integer.toString(changed.page());
        List<List<Object>> commands = new ArrayList<>();
        commands.add(List.of("HSET", pagesKey(id), page, json.encode(changed)));
        if (changed.status().isFinal()) {
            commands.add(List.of("HINCRBY", progressKey(id),
                    changed.status() == JobStatus.SUCCEEDED ? "succeeded" : "failed", 1));
        }
        String member = pageMember(id, changed.page());
        if (current.status() == JobStatus.QUEUED && changed.status() != JobStatus.QUEUED) {
            commands.add(List.of("ZREM", queuedKey(), member));
            orderKeys(job).forEach(order -> commands.add(List.of("ZREM", order, member)));
        } else if (current.status() != JobStatus.QUEUED && changed.status() == JobStatus.QUEUED) {
            long index = pageNumbers(id).stream().filter(number -> number < changed.page()).count();
            commands.add(List.of("ZADD", queuedKey(), expiryScore(job), member));
            commands.addAll(ordered(job, List.of(job.schedule().order() + index, member)));
        }
        return commands;
    }

    private static Progress progress(OcrJob job, Response succeeded, Response failed) {
        return Progress.of(job.pagesTotal(), succeeded == null ? 0 : succeeded.toInteger(),
                failed == null ? 0 : failed.toInteger());
    }

    /** A script's arguments: {@code first}, then each command as its word count and its words. */
    private static Object[] arguments(List<Object> first, List<List<Object>> commands) {
        List<Object> args = new ArrayList<>(first);
        for (List<Object> command : commands) {
            args.add(command.size());
            args.addAll(command);
        }
        return args.toArray();
    }

    @Override
    public void delete(String id) {
        call(() -> {
            known.remove(id);
            Optional<OcrJob> job = get(id);
            job.map(OcrJob::idempotencyKey).map(this::idemKey)
                    .filter(idem -> id.equals(strings.get(idem)))
                    .ifPresent(idem -> redis.key().del(idem));
            String[] tasks = job.map(this::taskMembers).orElse(List.of(id)).toArray(String[]::new);
            sortedSets.zrem(queuedKey(), tasks);
            if (job.isPresent()) {
                orderKeys(job.get()).forEach(order -> sortedSets.zrem(order, tasks));
            } else {
                unorderEverywhere(tasks);
            }
            redis.key().del(jobKey(id), imageKey(id), pagesKey(id), partsKey(id), progressKey(id));
            job.ifPresent(deleted -> {
                sortedSets.zrem(listingKey(deleted.tenant()), id);
                sortedSets.zrem(activeKey(deleted.tenant()), activeMembers(deleted).toArray(String[]::new));
            });
            return null;
        });
    }

    /** A compare-and-set on the record, as a transition, whose commands remove the job and every key it has. */
    @Override
    public Transition purge(String id, Predicate<OcrJob> applies) {
        return call(() -> {
            String record = strings.get(jobKey(id));
            while (record != null) {
                OcrJob current = json.decode(record);
                if (!applies.test(current)) {
                    return new Transition(current, false);
                }
                Response reply = run(COMPARE_AND_RUN, List.of(jobKey(id)), arguments(List.of(record), removal(current)));
                if (reply.get(0).toInteger() == 1) {
                    known.remove(id);
                    return new Transition(current, true);
                }
                record = reply.get(1) == null ? null : reply.get(1).toString(); // changed meanwhile: decide again
            }
            return Transition.MISSING;
        });
    }

    /**
     * The commands that remove a stored job: its keys, and its members of the indexes. Its idempotency key goes
     * when it still names this job (while the record lives, no other job can take the key).
     */
    private List<List<Object>> removal(OcrJob job) {
        String id = job.id();
        List<Object> keys = new ArrayList<>(List.of("DEL", jobKey(id), imageKey(id), pagesKey(id), partsKey(id),
                progressKey(id)));
        if (job.idempotencyKey() != null && id.equals(strings.get(idemKey(job.idempotencyKey())))) {
            keys.add(idemKey(job.idempotencyKey()));
        }
        List<Object> active = new ArrayList<>(List.of("ZREM", activeKey(job.tenant())));
        active.addAll(activeMembers(job));
        List<List<Object>> commands = new ArrayList<>(unqueued(job, taskMembers(job)));
        commands.addAll(List.of(keys, List.of("ZREM", deliveriesKey(), id),
                List.of("ZREM", listingKey(job.tenant()), id), active));
        return commands;
    }

    @Override
    public long queuedCount() {
        return call(() -> run(QUEUED_COUNT, List.of(queuedKey(), orderKey(), sharesKey()), System.currentTimeMillis(),
                shareOrderKey("")).toLong());
    }

    @Override
    public long reserve(int slots) {
        return call(() -> strings.incrby(sequenceKey(), slots) - slots + 1);
    }

    @Override
    public Standing standing(OcrJob job) {
        return call(() -> {
            Schedule schedule = job.schedule();
            long first = schedule.order();
            Response reply = run(STANDING, List.of(orderKey(), rateKey(), sharesKey()), first,
                    first + job.workUnits() - 1, schedule.laneStart(), schedule.laneEnd(), shareOrderKey(""));
            long tasks = reply.get(0).toLong();
            ServiceRate rate = ServiceRate.decode(reply.get(1) == null ? null : reply.get(1).toString());
            if (tasks == 0) {
                return new Standing(0, 0, rate);
            }
            long sharedBefore = reply.get(3).toLong();
            long sharedInLane = reply.get(4).toLong();
            Map<String, FairShare.Waiting> lane = new HashMap<>(); // by share, null the shared one
            for (int i = 5; i + 2 < reply.size(); i += 3) {
                FairShare.Waiting own = new FairShare.Waiting(reply.get(i + 1).toLong(), reply.get(i + 2).toLong());
                lane.put(reply.get(i).toString(), own);
                sharedBefore -= own.before();
                sharedInLane -= own.inLane();
            }
            lane.put(null, new FairShare.Waiting(Math.max(sharedBefore, 0), Math.max(sharedInLane, 0)));
            return new Standing(FairShare.position(reply.get(2).toLong(), schedule.share(), lane), tasks, rate);
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

    private String pagesKey(String id) {
        return prefix + "pages:" + id;
    }

    private String partsKey(String id) {
        return prefix + "parts:" + id;
    }

    private String progressKey(String id) {
        return prefix + "progress:" + id;
    }

    /** What {@link #READ_PAGE} and {@link #COMPARE_PAGE_AND_RUN} take as KEYS. */
    private List<String> documentKeys(String id) {
        return List.of(jobKey(id), pagesKey(id), progressKey(id));
    }

    /** A queued page in the queue index, beside the ids of queued images' jobs. */
    private static String pageMember(String id, int page) {
        return id + "#" + page;
    }

    /** A tenant's jobs by creation time: its listing. */
    private String listingKey(String tenant) {
        return tenantKey("listing", tenant);
    }

    /** A tenant's work queued or running, an image's job or a document's page each, scored by its expiry. */
    private String activeKey(String tenant) {
        return tenantKey("active", tenant);
    }

    /** A key of {@code tenant}'s, or of the jobs without a tenant (no tenant is empty, so they never meet). */
    private String tenantKey(String kind, String tenant) {
        return prefix + kind + (tenant == null ? "" : ":" + tenant);
    }

    private String queuedKey() {
        return prefix + "queued";
    }

    private String orderKey() {
        return prefix + "order";
    }

    /** The queue order of one share's tasks (fair share), beside the whole queue's: what positions count turns by. */
    private String shareOrderKey(String share) {
        return prefix + "order:share:" + share;
    }

    /** The shares that have (or had) an order of their own. */
    private String sharesKey() {
        return prefix + "shares";
    }

    /** The orders a task of {@code job} is in: the whole queue's, and its share's where it has one. */
    private List<String> orderKeys(OcrJob job) {
        String share = job.schedule().share();
        return share == null ? List.of(orderKey()) : List.of(orderKey(), shareOrderKey(share));
    }

    /** The commands that put tasks of {@code job}, {@code scoresAndMembers} as ZADD takes them, in its orders. */
    private List<List<Object>> ordered(OcrJob job, List<Object> scoresAndMembers) {
        List<List<Object>> commands = new ArrayList<>();
        for (String order : orderKeys(job)) {
            List<Object> add = new ArrayList<>(List.of("ZADD", order));
            add.addAll(scoresAndMembers);
            commands.add(add);
        }
        if (job.schedule().share() != null) {
            commands.add(List.of("SADD", sharesKey(), job.schedule().share()));
        }
        return commands;
    }

    /** Takes tasks whose job is gone out of every order, its share's unknown. */
    private void unorderEverywhere(String... tasks) {
        sortedSets.zrem(orderKey(), tasks);
        for (String share : redis.set(String.class).smembers(sharesKey())) {
            sortedSets.zrem(shareOrderKey(share), tasks);
        }
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
