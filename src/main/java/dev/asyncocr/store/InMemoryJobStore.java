package dev.asyncocr.store;

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
import dev.asyncocr.job.TenantQuotaExceededException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The single-replica store: jobs in this process's memory, gone on restart (pending callbacks with
 * them). Atomicity comes from {@link ConcurrentHashMap#compute}; expired entries are invisible at once
 * and swept once a minute.
 */
public class InMemoryJobStore implements JobStore {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /**
     * @param pages a document's page tasks by number, empty for an image; replaced, never changed in place
     * @param parts a document's parts, kept with its result when it succeeded in part or whole; likewise
     */
    private record Entry(OcrJob job, byte[] image, Instant expiresAt, SortedMap<Integer, PageTask> pages,
                         Map<Integer, byte[]> parts) {

        Entry(OcrJob job, byte[] image, Instant expiresAt) {
            this(job, image, expiresAt, Collections.emptySortedMap(), Map.of());
        }

        Progress progress() {
            return Progress.of(pages.values());
        }
    }

    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> idempotencyKeys = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<ServiceRate> rate = new AtomicReference<>();
    private final Duration ttl;
    private final Clock clock;
    private volatile Instant nextSweep;

    public InMemoryJobStore(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        this.nextSweep = clock.instant().plus(SWEEP_EVERY);
    }

    @Override
    public OcrJob create(OcrJob job, byte[] image, OptionalLong maxActive) {
        return create(new Entry(job, image, clock.instant().plus(ttl)), maxActive);
    }

    @Override
    public OcrJob createDocument(OcrJob job, List<PagePart> parts, OptionalLong maxActive) {
        SortedMap<Integer, PageTask> pages = new TreeMap<>();
        Map<Integer, byte[]> bytes = new HashMap<>();
        for (PagePart part : parts) {
            pages.put(part.page(), PageTask.queued(part.page()));
            bytes.put(part.page(), part.bytes());
        }
        return create(new Entry(job, null, clock.instant().plus(ttl), pages, bytes), maxActive);
    }

    /**
     * Creations take turns, so that each sees the work of those before it against the quota (a transition only
     * ever lowers a tenant's work).
     */
    private synchronized OcrJob create(Entry created, OptionalLong maxActive) {
        OcrJob job = created.job();
        sweepWhenDue();
        if (maxActive.isPresent()) {
            long active = activeWork(job.tenant());
            if (active + job.workUnits() > maxActive.getAsLong()) {
                throw new TenantQuotaExceededException(maxActive.getAsLong(), active);
            }
        }
        if (job.idempotencyKey() != null) {
            String holder = idempotencyKeys.compute(job.idempotencyKey(),
                    (key, id) -> id != null && live(id) != null ? id : job.id());
            if (!holder.equals(job.id())) {
                Entry earlier = live(holder);
                if (earlier != null) {
                    return earlier.job();
                }
            }
        }
        jobs.put(job.id(), created);
        return job;
    }

    @Override
    public Optional<OcrJob> get(String id) {
        return Optional.ofNullable(live(id)).map(Entry::job);
    }

    @Override
    public Optional<String> idempotentJobId(String key) {
        return Optional.ofNullable(idempotencyKeys.get(key)).filter(id -> live(id) != null);
    }

    @Override
    public Optional<byte[]> image(String id) {
        return Optional.ofNullable(live(id)).map(Entry::image);
    }

    @Override
    public Transition transition(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change) {
        Transition[] outcome = {Transition.MISSING};
        jobs.computeIfPresent(id, (key, entry) -> {
            if (expired(entry)) {
                return null;
            }
            if (!applies.test(entry.job())) {
                outcome[0] = new Transition(entry.job(), false);
                return entry;
            }
            OcrJob changed = change.apply(entry.job());
            outcome[0] = new Transition(changed, true);
            boolean finishing = changed.status().isFinal() && !entry.job().status().isFinal();
            boolean keeps = JobStore.keepsImage(changed);
            return finishing ? new Entry(changed, keeps ? entry.image() : null, clock.instant().plus(ttl),
                    entry.pages(), keeps ? entry.parts() : Map.of())
                    : new Entry(changed, entry.image(), entry.expiresAt(), entry.pages(), entry.parts());
        });
        return outcome[0];
    }

    @Override
    public Optional<Pages> pages(String id) {
        return Optional.ofNullable(live(id)).filter(e -> e.job().isDocument())
                .map(e -> new Pages(List.copyOf(e.pages().values()), e.progress()));
    }

    @Override
    public Optional<PageTask> page(String id, int page) {
        return Optional.ofNullable(live(id)).map(e -> e.pages().get(page));
    }

    @Override
    public Optional<Progress> progress(String id) {
        return Optional.ofNullable(live(id)).filter(e -> e.job().isDocument()).map(Entry::progress);
    }

    @Override
    public Optional<byte[]> part(String id, int page) {
        return Optional.ofNullable(live(id)).map(e -> e.parts().get(page));
    }

    @Override
    public PageTransition transitionPage(String id, int page, BiPredicate<OcrJob, PageTask> applies,
                                         UnaryOperator<PageTask> change) {
        PageTransition[] outcome = {PageTransition.MISSING};
        jobs.computeIfPresent(id, (key, entry) -> {
            if (expired(entry)) {
                return null;
            }
            PageTask current = entry.pages().get(page);
            if (current == null || current.status().isFinal() || !applies.test(entry.job(), current)) {
                outcome[0] = new PageTransition(entry.job(), current, false, entry.progress());
                return entry;
            }
            PageTask changed = change.apply(current);
            SortedMap<Integer, PageTask> pages = new TreeMap<>(entry.pages());
            pages.put(page, changed);
            Entry next = new Entry(entry.job(), entry.image(), entry.expiresAt(), pages, entry.parts());
            outcome[0] = new PageTransition(entry.job(), changed, true, next.progress());
            return next;
        });
        return outcome[0];
    }

    @Override
    public void delete(String id) {
        Entry removed = jobs.remove(id);
        if (removed != null && removed.job().idempotencyKey() != null) {
            idempotencyKeys.remove(removed.job().idempotencyKey(), id);
        }
    }

    @Override
    public Transition purge(String id, Predicate<OcrJob> applies) {
        Transition[] outcome = {Transition.MISSING};
        jobs.computeIfPresent(id, (key, entry) -> {
            if (expired(entry)) {
                return null;
            }
            outcome[0] = new Transition(entry.job(), applies.test(entry.job()));
            return outcome[0].applied() ? null : entry;
        });
        String key = outcome[0].applied() ? outcome[0].job().idempotencyKey() : null;
        if (key != null) {
            idempotencyKeys.remove(key, id);
        }
        return outcome[0];
    }

    @Override
    public long activeWork(String tenant) {
        return tenantsJobs(tenant).filter(job -> !job.status().isFinal()).mapToLong(OcrJob::workUnits).sum();
    }

    @Override
    public List<OcrJob> list(String tenant, JobStatus status, JobCursor after, int limit) {
        return tenantsJobs(tenant).filter(job -> status == null || job.status() == status)
                .filter(job -> after == null || after.precedes(job)).sorted(JobCursor.NEWEST_FIRST).limit(limit)
                .toList();
    }

    private Stream<OcrJob> tenantsJobs(String tenant) {
        return liveEntries().map(Entry::job).filter(job -> Objects.equals(job.tenant(), tenant));
    }

    @Override
    public long queuedCount() {
        return liveEntries().flatMapToLong(InMemoryJobStore::pendingPlaces).count();
    }

    /**
     * The places in the queue's order of an entry's tasks not yet started: a queued image's job at its own, the
     * queued pages of a document not final each at its job's plus its index among the pages.
     */
    private static LongStream pendingPlaces(Entry entry) {
        OcrJob job = entry.job();
        long order = job.schedule().order();
        if (!job.isDocument()) {
            return job.status() == JobStatus.QUEUED ? LongStream.of(order) : LongStream.empty();
        }
        List<PageTask> pages = job.status().isFinal() ? List.of() : List.copyOf(entry.pages().values());
        return IntStream.range(0, pages.size()).filter(i -> pages.get(i).status() == JobStatus.QUEUED)
                .mapToLong(i -> order + i);
    }

    private Stream<Entry> liveEntries() {
        return jobs.values().stream().filter(e -> !expired(e));
    }

    @Override
    public List<String> dueDeliveries(Instant now, int limit) {
        return liveEntries().map(Entry::job)
                .filter(job -> job.nextDeliveryAt().filter(at -> !at.isAfter(now)).isPresent())
                .sorted(Comparator.comparing(job -> job.nextDeliveryAt().orElseThrow()))
                .limit(limit).map(OcrJob::id).toList();
    }

    @Override
    public long reserve(int slots) {
        return sequence.getAndAdd(slots) + 1;
    }

    @Override
    public Standing standing(OcrJob job) {
        Entry entry = live(job.id());
        long[] mine = entry == null ? new long[0] : pendingPlaces(entry).toArray();
        if (mine.length == 0) {
            return new Standing(0, 0, rate.get());
        }
        Schedule schedule = entry.job().schedule();
        long higher = 0;
        Map<String, FairShare.Waiting> lane = new HashMap<>(); // by share, null the shared one
        for (Entry other : liveEntries().toList()) {
            for (long place : pendingPlaces(other).toArray()) {
                if (place < schedule.laneStart()) {
                    higher++;
                } else if (place < schedule.laneEnd()) {
                    lane.merge(other.job().schedule().share(), new FairShare.Waiting(place < mine[0] ? 1 : 0, 1),
                            (a, b) -> new FairShare.Waiting(a.before() + b.before(), a.inLane() + b.inLane()));
                }
            }
        }
        return new Standing(FairShare.position(higher, schedule.share(), lane), mine.length, rate.get());
    }

    @Override
    public void recordCompletion(Instant at, Duration ran) {
        rate.updateAndGet(previous -> ServiceRate.next(previous, at, ran));
    }

    @Override
    public ServiceRate serviceRate() {
        return rate.get();
    }

    private Entry live(String id) {
        Entry entry = jobs.get(id);
        return entry == null || expired(entry) ? null : entry;
    }

    private boolean expired(Entry entry) {
        return !clock.instant().isBefore(entry.expiresAt());
    }

    private void sweepWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_EVERY);
        jobs.values().removeIf(this::expired);
        idempotencyKeys.values().removeIf(id -> !jobs.containsKey(id));
    }
}
