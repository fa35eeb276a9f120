package dev.asyncocr.store;

import dev.asyncocr.job.Delivery;
import dev.asyncocr.job.JobCursor;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.Lane;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.JobStore.Transition;
import dev.asyncocr.image.TextLayer;
import dev.asyncocr.job.DocumentSpec;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobError;
import dev.asyncocr.job.JobStore.PageTransition;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.job.ServiceRate;
import dev.asyncocr.job.PagePart;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.job.Progress;
import dev.asyncocr.job.TenantQuotaExceededException;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.OcrWord;
import dev.asyncocr.ocr.Tuning;
import dev.asyncocr.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link JobStore} must do; each implementation's test runs these against the real backend. */
abstract class JobStoreContract {

    static final Duration TTL = Duration.ofMinutes(10);

    final MutableClock clock = new MutableClock();

    /** A fresh, empty store with {@link #TTL} and {@link #clock}. */
    abstract JobStore store();

    /** Now, as the store under test reckons expiry. */
    Instant now() {
        return clock.instant();
    }

    /** The store's TTL. */
    Duration ttl() {
        return TTL;
    }

    /** Lets time pass, as the store under test reckons expiry. */
    void pass(Duration time) {
        clock.advance(time);
    }

    void passTtl() {
        pass(ttl().plusMillis(300));
    }

    /** A request's tuning with some settings given and some left to the defaults: both must survive the store. */
    static final Tuning TUNED = new Tuning(DetectionSize.parse("max:960"), 0.25, null, 2.5, null);

    OcrJob queued(String key) {
        return queued(key, 0);
    }

    /** A queued job at {@code place} in the queue's order. */
    OcrJob queued(String key, long place) {
        return queued(key, place, Lane.NORMAL);
    }

    /** A queued job at {@code place} in the queue's order, in {@code lane}. */
    OcrJob queued(String key, long place, Lane lane) {
        return queued(key, place, lane, null);
    }

    /** A queued job at {@code place} in {@code lane}, of the tenant {@code share} with queues of its own (or null). */
    OcrJob queued(String key, long place, Lane lane, String share) {
        return new OcrJob(UUID.randomUUID().toString(), JobStatus.QUEUED, new OcrOptions(true, true, true, TUNED),
                null, key, "digest", now(), null, null, 0, null, null, List.of(), null, share,
                new Schedule(now().plus(Duration.ofMinutes(5)), place, lane, share));
    }

    /** A queued document job of the pages {@code pages} (in the document's numbering). */
    OcrJob queuedDocument(String key, int... pages) {
        return queuedDocument(key, Schedule.NONE, pages);
    }

    /** A queued document job of the pages {@code pages}, placed in the queue's order by {@code schedule}. */
    OcrJob queuedDocument(String key, Schedule schedule, int... pages) {
        return new OcrJob(UUID.randomUUID().toString(), JobStatus.QUEUED, OcrOptions.ALL, null, key, "digest",
                now(), null, null, 0, null, null, List.of(), null, null, schedule,
                DocumentSpec.of(pages.length, 200, false, TextLayer.AUTO));
    }

    /** A part per page, its bytes telling which page it is. */
    static List<PagePart> parts(int... pages) {
        return Arrays.stream(pages).mapToObj(p -> new PagePart(p, new byte[]{(byte) p, 42})).toList();
    }

    /** A document of {@code count} pages, numbered from 1, stored. */
    OcrJob document(JobStore store, int count) {
        int[] pages = IntStream.rangeClosed(1, count).toArray();
        return store.createDocument(queuedDocument(null, pages), parts(pages));
    }

    /** Another replica's view of {@code store}'s backend; the same object where there is one process. */
    JobStore sameBackend(JobStore store) {
        return store;
    }

    static OcrJob withStatus(OcrJob job, JobStatus status) {
        return new OcrJob(job.id(), status, job.options(), job.callbackUrl(), job.idempotencyKey(), job.requestDigest(),
                job.submittedAt(), job.startedAt(), job.finishedAt(), job.attempts() + 1, job.result(), job.error(),
                job.deliveries(), job.traceparent(), job.tenant(), job.schedule(), job.document());
    }

    @Test
    void storesTheJobAndItsImage() {
        JobStore store = store();
        OcrJob job = queued(null);
        assertEquals(job, store.create(job, new byte[]{1, 2, 3}));
        assertEquals(job, store.get(job.id()).orElseThrow());
        assertArrayEquals(new byte[]{1, 2, 3}, store.image(job.id()).orElseThrow());
        assertTrue(store.get("no-such-job").isEmpty());
    }

    @Test
    void aSucceededJobKeepsItsImageUntilItsResultExpires() {
        JobStore store = store();
        OcrJob job = queued(null);
        store.create(job, new byte[]{1, 2, 3});
        store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        assertTrue(store.image(job.id()).isPresent(), "a job in progress still needs its image");
        pass(ttl().dividedBy(2));
        store.transition(job.id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.SUCCEEDED));
        pass(ttl().multipliedBy(3).dividedBy(4));
        assertArrayEquals(new byte[]{1, 2, 3}, store.image(job.id()).orElseThrow(),
                "past the submission's TTL, the result and its image are kept for the TTL from when it finished");
        passTtl();
        assertTrue(store.get(job.id()).isEmpty());
        assertTrue(store.image(job.id()).isEmpty(), "the image goes with the result");
    }

    @Test
    void theImageGoesWhenTheJobFailsOrIsCancelled() {
        JobStore store = store();
        for (JobStatus end : List.of(JobStatus.FAILED, JobStatus.CANCELLED)) {
            OcrJob job = queued(null);
            store.create(job, new byte[]{1, 2, 3});
            OcrJob done = store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, end)).job();
            assertTrue(store.image(job.id()).isEmpty(), "a " + end + " job has no use for its image");
            assertEquals(done, store.get(job.id()).orElseThrow(), "the record outlives the image");
        }
    }

    @Test
    void aResultKeepsItsPageSizeWordBoxesAndOwner() {
        JobStore store = store();
        OcrJob job = queued(null);
        store.create(job, new byte[]{1});
        int[][] box = {{10, 20}, {200, 20}, {200, 60}, {10, 60}};
        OcrWord word = new OcrWord("中", 0.97, new int[][]{{10, 20}, {50, 20}, {50, 60}, {10, 60}});
        OcrResult result = new OcrResult(640, 480, List.of(new OcrLine("中 text", 0.95, box, 0, List.of(word))),
                Map.of(OcrResult.TOTAL, 12.5), TUNED.orElse(Tuning.DEFAULT));
        store.transition(job.id(), EnumSet.of(JobStatus.QUEUED),
                j -> new OcrJob(j.id(), JobStatus.SUCCEEDED, j.options(), null, null, j.requestDigest(), j.submittedAt(),
                        now(), now(), 1, result, null, List.of(), null, "tenant a", null));

        OcrResult stored = store.get(job.id()).orElseThrow().result();
        assertEquals(640, stored.width());
        assertEquals(480, stored.height());
        assertEquals(TUNED.orElse(Tuning.DEFAULT), stored.tuning(), "the settings it ran with");
        OcrWord storedWord = stored.lines().get(0).words().get(0);
        assertEquals("中", storedWord.text());
        assertEquals(0.97, storedWord.confidence());
        assertArrayEquals(word.box(), storedWord.box());
        assertEquals("tenant a", store.get(job.id()).orElseThrow().tenant(), "the owner is kept with the job");
    }

    @Test
    void jobsExpireAfterTheTtl() {
        JobStore store = store();
        OcrJob job = queued("key-expiring");
        store.create(job, new byte[]{1});
        assertTrue(store.get(job.id()).isPresent());
        passTtl();
        assertTrue(store.get(job.id()).isEmpty());
        assertTrue(store.image(job.id()).isEmpty());
        assertTrue(store.idempotentJobId("key-expiring").isEmpty());
        assertEquals(0, store.queuedCount());
        assertEquals(Transition.MISSING, store.transition(job.id(), EnumSet.allOf(JobStatus.class), j -> j));
    }

    @Test
    void anIdempotencyKeyBelongsToTheFirstJob() {
        JobStore store = store();
        OcrJob first = queued("key-1");
        OcrJob second = queued("key-1");
        assertEquals(first, store.create(first, new byte[]{1}));
        assertEquals(first, store.create(second, new byte[]{2}));
        assertTrue(store.get(second.id()).isEmpty(), "the second job is not stored");
        assertEquals(first.id(), store.idempotentJobId("key-1").orElseThrow());
        store.delete(first.id());
        assertTrue(store.idempotentJobId("key-1").isEmpty(), "deleting a job frees its key");
        assertEquals(second, store.create(second, new byte[]{2}));
    }

    @Test
    void aStartAnswersTheJobWithItsImage() {
        JobStore store = store();
        OcrJob job = store.create(queued(null), new byte[]{7, 8});
        JobStore.Start started = store.start(job.id(), EnumSet.of(JobStatus.QUEUED),
                j -> withStatus(j, JobStatus.PROCESSING));
        assertTrue(started.transition().applied());
        assertEquals(JobStatus.PROCESSING, started.transition().job().status());
        assertArrayEquals(new byte[]{7, 8}, started.image().orElseThrow());
        JobStore.Start again = store.start(job.id(), EnumSet.of(JobStatus.QUEUED),
                j -> withStatus(j, JobStatus.PROCESSING));
        assertFalse(again.transition().applied());
        assertTrue(again.image().isEmpty(), "no image when nothing started");
        JobStore.Start failing = store.start(job.id(), EnumSet.of(JobStatus.PROCESSING),
                j -> withStatus(j, JobStatus.FAILED));
        assertTrue(failing.transition().applied());
        assertTrue(failing.image().isEmpty(), "a job that failed has no image");
        assertEquals(new JobStore.Start(Transition.MISSING, Optional.empty()),
                store.start("no-such-job", EnumSet.allOf(JobStatus.class), j -> j));
    }

    @Test
    void transitionsApplyOnlyFromTheGivenStatuses() {
        JobStore store = store();
        OcrJob job = queued(null);
        store.create(job, new byte[]{1});
        Transition started = store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        assertTrue(started.applied());
        assertEquals(JobStatus.PROCESSING, started.job().status());
        Transition again = store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertFalse(again.applied());
        assertEquals(JobStatus.PROCESSING, again.job().status());
        assertEquals(JobStatus.PROCESSING, store.get(job.id()).orElseThrow().status());
        assertEquals(Transition.MISSING, store.transition("no-such-job", EnumSet.allOf(JobStatus.class), j -> j));
    }

    @Test
    void ofRacingTransitionsExactlyOneWins() throws Exception {
        JobStore store = store();
        int jobs = 20;
        int racers = 4;
        List<OcrJob> created = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            created.add(store.create(queued(null), new byte[]{1}));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> wins = new ArrayList<>();
            for (int r = 0; r < racers; r++) {
                JobStatus target = r % 2 == 0 ? JobStatus.CANCELLED : JobStatus.PROCESSING;
                wins.add(pool.submit(() -> {
                    go.await();
                    int won = 0;
                    for (OcrJob job : created) {
                        if (store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, target)).applied()) {
                            won++;
                        }
                    }
                    return won;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> w : wins) {
                total += w.get();
            }
            assertEquals(jobs, total, "each job left QUEUED exactly once");
            for (OcrJob job : created) {
                assertEquals(1, store.get(job.id()).orElseThrow().attempts(), "applied once: " + job.id());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void queuedCountFollowsTheStatuses() {
        JobStore store = store();
        OcrJob a = store.create(queued(null), new byte[]{1});
        OcrJob b = store.create(queued(null), new byte[]{1});
        store.create(queued(null), new byte[]{1});
        assertEquals(3, store.queuedCount());
        store.transition(a.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        store.transition(b.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertEquals(1, store.queuedCount());
        store.transition(a.id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.QUEUED));
        assertEquals(2, store.queuedCount(), "a job back in the queue counts again");
        store.delete(a.id());
        assertEquals(1, store.queuedCount());
    }

    @Test
    void aQueuedJobPastItsDeadlineExpiresOnceThroughTheCompareAndSet() {
        JobStore store = store();
        OcrJob job = store.create(queued(null), new byte[]{1});
        Instant deadline = job.schedule().deadline();
        assertEquals(deadline, store.get(job.id()).orElseThrow().schedule().deadline(), "the deadline is stored");
        assertFalse(store.transition(job.id(), j -> j.missedDeadline(deadline.minusMillis(1)),
                j -> withStatus(j, JobStatus.EXPIRED)).applied(), "not before its deadline");
        Transition expired = store.transition(job.id(), j -> j.missedDeadline(deadline),
                j -> withStatus(j, JobStatus.EXPIRED));
        assertTrue(expired.applied());
        assertEquals(JobStatus.EXPIRED, store.get(job.id()).orElseThrow().status());
        assertEquals(0, store.queuedCount(), "an expired job is no longer queued");
        assertTrue(store.image(job.id()).isEmpty(), "nor does it keep its image");
        assertFalse(store.transition(job.id(), j -> j.missedDeadline(deadline),
                j -> withStatus(j, JobStatus.EXPIRED)).applied(), "it expires once");

        OcrJob started = store.create(queued(null), new byte[]{1});
        store.transition(started.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        store.transition(started.id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.QUEUED));
        assertFalse(store.transition(started.id(), j -> j.missedDeadline(deadline.plusSeconds(1)),
                j -> withStatus(j, JobStatus.EXPIRED)).applied(), "a job once started, back in the queue, does not expire");
    }

    @Test
    void placesAreReservedInOrderAndADocumentReservesOnePerPage() {
        JobStore store = store();
        long first = store.reserve(1);
        long document = store.reserve(30);
        assertEquals(first + 1, document);
        assertEquals(document + 30, store.reserve(1));
    }

    @Test
    void aQueuedJobsPositionCountsTheQueuedJobsAheadOfItAndMovesAsTheyLeave() {
        JobStore store = store();
        List<OcrJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(store.create(queued(null, store.reserve(1)), new byte[]{1}));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), positions(store, jobs));
        store.transition(jobs.get(0).id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        store.transition(jobs.get(2).id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertEquals(List.of(0L, 1L, 0L, 2L), positions(store, jobs), "not queued: 0");
        store.transition(jobs.get(0).id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.QUEUED));
        assertEquals(List.of(1L, 2L, 0L, 3L), positions(store, jobs), "back in the queue at its own place");
        store.delete(jobs.get(1).id());
        assertEquals(List.of(1L, 0L, 0L, 2L), positions(store, jobs));
    }

    @Test
    void aPositionCountsTheHigherLanesFirstThenTheEarlierJobsOfItsOwn() {
        JobStore store = store();
        List<OcrJob> jobs = new ArrayList<>();
        for (Lane lane : List.of(Lane.LOW, Lane.NORMAL, Lane.HIGH, Lane.LOW, Lane.HIGH)) {
            jobs.add(store.create(queued(null, store.reserve(1), lane), new byte[]{1}));
        }
        assertEquals(List.of(4L, 3L, 1L, 5L, 2L), positions(store, jobs));
        store.transition(jobs.get(2).id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        assertEquals(List.of(3L, 2L, 0L, 4L, 1L), positions(store, jobs));
        assertEquals(Lane.LOW, store.get(jobs.get(0).id()).orElseThrow().schedule().lane(), "the lane is stored");
    }

    /**
     * With fair share the workers take a lane's shares in turn: a position counts the higher lanes, its own share's
     * earlier tasks, and of each other share as many as turns go by first, not its whole backlog.
     */
    @Test
    void withFairShareAPositionCountsTheOtherSharesTurnsNotTheirBacklogs() {
        JobStore store = store();
        List<OcrJob> a = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            a.add(store.create(queued(null, store.reserve(1), Lane.NORMAL, "a"), new byte[]{1}));
        }
        OcrJob shared = store.create(queued(null, store.reserve(1), Lane.NORMAL, null), new byte[]{1});
        OcrJob b = store.create(queued(null, store.reserve(1), Lane.NORMAL, "b"), new byte[]{1});
        OcrJob high = store.create(queued(null, store.reserve(1), Lane.HIGH, "a"), new byte[]{1});
        List<OcrJob> all = List.of(a.get(0), a.get(1), a.get(2), a.get(3), shared, b, high);
        assertEquals(List.of(2L, 5L, 6L, 7L, 2L, 2L, 1L), positions(store, all));
        store.transition(a.get(0).id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        assertEquals(List.of(0L, 2L, 5L, 6L, 2L, 2L, 1L), positions(store, all), "A's next leads its share");
        store.transition(b.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        store.delete(high.id());
        assertEquals(List.of(0L, 1L, 3L, 4L, 1L, 0L, 0L), positions(store, all), "B's and the high lane's gone");
        assertEquals("a", store.get(a.get(1).id()).orElseThrow().schedule().share(), "the share is stored");
    }

    /**
     * A document counts as its pages not yet started: a 3-page one ahead of an image's job puts it fourth, one place
     * less as each page starts, whichever page it is; the lanes still order first.
     */
    @Test
    void aPositionCountsTheDocumentsPagesNotYetStartedAhead() {
        JobStore store = store();
        OcrJob document = store.createDocument(queuedDocument(null, new Schedule(null, store.reserve(3), Lane.NORMAL, null),
                2, 4, 7), parts(2, 4, 7));
        OcrJob image = store.create(queued(null, store.reserve(1)), new byte[]{1});
        assertEquals(List.of(1L, 4L), positions(store, List.of(document, image)));
        assertEquals(3, store.standing(document).tasks());
        assertEquals(1, store.standing(image).tasks());

        startPage(store, document, 4);
        assertEquals(List.of(1L, 3L), positions(store, List.of(document, image)), "a page started: one less");
        assertEquals(2, store.standing(document).tasks());
        startPage(store, document, 2);
        assertEquals(List.of(1L, 2L), positions(store, List.of(document, image)), "its first pending page leads");
        assertEquals(1, store.standing(document).tasks());

        OcrJob high = store.create(queued(null, store.reserve(1), Lane.HIGH), new byte[]{1});
        OcrJob low = store.createDocument(queuedDocument(null, new Schedule(null, store.reserve(2), Lane.LOW, null), 1, 2),
                parts(1, 2));
        assertEquals(List.of(2L, 3L, 1L, 4L), positions(store, List.of(document, image, high, low)), "lanes first");
        store.transitionPage(document.id(), 4, (j, p) -> true, PageTask::requeued);
        assertEquals(List.of(2L, 4L, 1L, 5L), positions(store, List.of(document, image, high, low)),
                "a page back in the queue, at its own place");
        assertEquals(List.of(2L, 6L), List.of(store.standing(document).tasks(), store.queuedCount()));
        store.transition(document.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertEquals(List.of(0L, 2L, 1L, 3L), positions(store, List.of(document, image, high, low)),
                "a cancelled document's pages never run");
        store.purge(low.id(), j -> true);
        assertEquals(2, store.queuedCount());
    }

    private void startPage(JobStore store, OcrJob document, int page) {
        assertTrue(store.transitionPage(document.id(), page, (j, p) -> true, p -> p.processing(now()))
                .applied());
    }

    @Test
    void theServiceRateIsSmoothedFromEveryCompletion() {
        JobStore store = store();
        assertEquals(null, store.serviceRate(), "nothing measured yet");
        assertEquals(null, store.standing(store.create(queued(null), new byte[]{1})).rate());
        Instant at = Instant.parse("2026-12-03T17:00:00Z");
        ServiceRate expected = null;
        for (int i = 0; i < 5; i++) {
            Instant done = at.plusMillis(100L * i);
            store.recordCompletion(done, Duration.ofMillis(300));
            expected = ServiceRate.next(expected, done, Duration.ofMillis(300));
        }
        assertEquals(expected, store.serviceRate());
        OcrJob job = store.create(queued(null), new byte[]{1});
        assertEquals(expected, store.standing(job).rate(), "in the same read as the position");
    }

    private static List<Long> positions(JobStore store, List<OcrJob> jobs) {
        return jobs.stream().map(job -> store.standing(job).position()).toList();
    }

    @Test
    void aFinishedJobIsKeptForTheTtlFromWhenItFinished() {
        JobStore store = store();
        OcrJob job = store.create(queued(null), new byte[]{1});
        Duration twoThirds = ttl().multipliedBy(2).dividedBy(3);
        pass(twoThirds);
        store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.SUCCEEDED));
        pass(twoThirds);
        assertTrue(store.get(job.id()).isPresent(), "expired with the submission's TTL, not the result's");
        passTtl();
        assertTrue(store.get(job.id()).isEmpty());
    }

    @Test
    void dueDeliveriesAreListedEarliestFirstUntilSettled() {
        JobStore store = store();
        Instant now = now();
        OcrJob later = store.create(queued(null), new byte[]{1});
        OcrJob earlier = store.create(queued(null), new byte[]{1});
        OcrJob notYet = store.create(queued(null), new byte[]{1});
        owe(store, later, now.minusSeconds(5));
        owe(store, earlier, now.minusSeconds(10));
        owe(store, notYet, now.plusSeconds(60));
        assertEquals(List.of(earlier.id(), later.id()), store.dueDeliveries(now, 10));
        assertEquals(List.of(earlier.id()), store.dueDeliveries(now, 1));

        Transition settled = store.transition(earlier.id(), j -> j.delivery(Delivery.Target.CALLBACK)
                .filter(d -> d.dueAt(now)).isPresent(), j -> j.withDelivery(j.deliveries().get(0).delivered(200)));
        assertTrue(settled.applied());
        assertEquals(List.of(later.id()), store.dueDeliveries(now, 10));
        assertFalse(store.transition(earlier.id(), j -> j.delivery(Delivery.Target.CALLBACK)
                .filter(d -> d.dueAt(now)).isPresent(), j -> j).applied(), "a settled delivery is not due again");
        assertEquals(List.of(later.id(), notYet.id()), store.dueDeliveries(now.plusSeconds(61), 10));
    }

    @Test
    void anExpiredJobLeavesTheDueListOnceTouched() {
        JobStore store = store();
        OcrJob job = store.create(queued(null), new byte[]{1});
        owe(store, job, now());
        passTtl();
        assertEquals(Transition.MISSING, store.transition(job.id(), j -> true, j -> j));
        assertEquals(List.of(), store.dueDeliveries(now().plus(ttl()), 10));
    }

    @Test
    void aDocumentHoldsItsPagesWithTheirParts() {
        JobStore store = store();
        OcrJob image = store.create(queued(null), new byte[]{1});
        OcrJob job = queuedDocument(null, 1, 2, 3, 5);
        assertEquals(job, store.createDocument(job, parts(1, 2, 3, 5)));
        assertEquals(job, store.get(job.id()).orElseThrow());
        JobStore.Pages pages = store.pages(job.id()).orElseThrow();
        assertEquals(List.of(1, 2, 3, 5), pages.pages().stream().map(PageTask::page).toList(), "in page order");
        assertTrue(pages.pages().stream().allMatch(p -> p.status() == JobStatus.QUEUED));
        assertEquals(new Progress(0, 0, 4), pages.progress());
        assertEquals(new Progress(0, 0, 4), store.progress(job.id()).orElseThrow());
        assertArrayEquals(new byte[]{5, 42}, store.part(job.id(), 5).orElseThrow());
        assertEquals(PageTask.queued(3), store.page(job.id(), 3).orElseThrow());
        assertTrue(store.page(job.id(), 4).isEmpty(), "page 4 was not selected");
        assertTrue(store.part(job.id(), 4).isEmpty());
        assertTrue(store.image(job.id()).isEmpty(), "a document's pages read their parts");
        assertEquals(5, store.queuedCount(), "each queued page counts, beside the queued image");
        assertTrue(store.pages(image.id()).isEmpty(), "an image's job has no pages");
        assertTrue(store.progress(image.id()).isEmpty());
        assertTrue(store.page(image.id(), 1).isEmpty());
    }

    @Test
    void aPageTransitionIsACompareAndSetAndAFinalPageNeverChanges() {
        JobStore store = store();
        OcrJob job = document(store, 3);
        PageTransition started = store.transitionPage(job.id(), 2, (j, p) -> p.status() == JobStatus.QUEUED,
                p -> p.processing(now()));
        assertTrue(started.applied());
        assertEquals(JobStatus.PROCESSING, started.page().status());
        assertEquals(1, started.page().attempts());
        assertEquals(job, started.job());
        assertEquals(new Progress(0, 0, 3), started.progress());
        assertFalse(started.lastPage());
        assertEquals(2, store.queuedCount(), "a started page leaves the queue");
        assertFalse(store.transitionPage(job.id(), 2, (j, p) -> p.status() == JobStatus.QUEUED, p -> p.processing(now()))
                .applied(), "started once");
        assertArrayEquals(new byte[]{2, 42}, store.part(job.id(), 2).orElseThrow(), "a running page keeps its part");

        PageTransition done = store.transitionPage(job.id(), 2, (j, p) -> true, p -> p.succeeded(result(), now()));
        assertTrue(done.applied());
        assertEquals(new Progress(1, 0, 2), done.progress());
        assertEquals(result().lines().get(0).text(), store.page(job.id(), 2).orElseThrow().result().lines().get(0).text());
        assertArrayEquals(new byte[]{2, 42}, store.part(job.id(), 2).orElseThrow(),
                "a final page keeps its part while its job lives (a searchable PDF draws it)");
        PageTransition again = store.transitionPage(job.id(), 2, (j, p) -> true, p -> p.failed(error(), now()));
        assertFalse(again.applied(), "a final page never changes");
        assertEquals(JobStatus.SUCCEEDED, again.page().status());
        assertEquals(new Progress(1, 0, 2), again.progress());

        assertTrue(store.transitionPage(job.id(), 3, (j, p) -> true, p -> p.processing(now())).applied());
        assertEquals(1, store.queuedCount());
        assertTrue(store.transitionPage(job.id(), 3, (j, p) -> true, PageTask::requeued).applied());
        assertEquals(2, store.queuedCount(), "a page back in the queue counts again");

        PageTransition missingPage = store.transitionPage(job.id(), 4, (j, p) -> true, p -> p.processing(now()));
        assertFalse(missingPage.applied());
        assertEquals(null, missingPage.page());
        assertEquals(PageTransition.MISSING, store.transitionPage("no-such-job", 1, (j, p) -> true, p -> p));
    }

    @Test
    void ofConcurrentPageCompletionsOnManyReplicasExactlyOneFinishesTheJob() throws Exception {
        JobStore first = store();
        List<JobStore> replicas = List.of(first, sameBackend(first));
        int pages = 30;
        int workers = 6;
        OcrJob job = document(first, pages);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<int[]>> outcomes = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                JobStore replica = replicas.get(w % replicas.size());
                int worker = w;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    int[] counts = new int[3]; // pages run, pages finished, jobs finished
                    for (int i = 0; i < pages; i++) {
                        int page = 1 + (i + worker * 5) % pages; // each worker starts elsewhere in the document
                        if (!replica.transitionPage(job.id(), page, (j, p) -> p.status() == JobStatus.QUEUED,
                                p -> p.processing(now())).applied()) {
                            continue;
                        }
                        counts[0]++;
                        PageTransition done = replica.transitionPage(job.id(), page,
                                (j, p) -> p.status() == JobStatus.PROCESSING,
                                p -> page % 7 == 0 ? p.failed(error(), now()) : p.succeeded(result(), now()));
                        if (done.applied()) {
                            counts[1]++;
                        }
                        if (done.lastPage() && replica.transition(job.id(), j -> !j.status().isFinal(),
                                j -> withStatus(j, done.progress().outcome())).applied()) {
                            counts[2]++;
                        }
                    }
                    return counts;
                }));
            }
            go.countDown();
            int[] total = new int[3];
            for (Future<int[]> outcome : outcomes) {
                int[] counts = outcome.get();
                for (int i = 0; i < total.length; i++) {
                    total[i] += counts[i];
                }
            }
            assertEquals(pages, total[0], "each page started exactly once");
            assertEquals(pages, total[1], "each page finished exactly once");
            assertEquals(1, total[2], "the job finished exactly once");
            OcrJob finished = first.get(job.id()).orElseThrow();
            assertEquals(JobStatus.PARTIALLY_SUCCEEDED, finished.status(), "pages 7, 14, 21 and 28 failed");
            assertEquals(new Progress(26, 4, 0), first.pages(job.id()).orElseThrow().progress());
            assertEquals(0, first.queuedCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDocumentsOutcomeIsItsPagesOutcomes() {
        JobStore store = store();
        assertEquals(JobStatus.SUCCEEDED, finishPages(store, true, true));
        assertEquals(JobStatus.PARTIALLY_SUCCEEDED, finishPages(store, true, false));
        assertEquals(JobStatus.FAILED, finishPages(store, false, false));
    }

    /** Runs a document's pages to these outcomes (true: succeeded) and answers the status its job finished in. */
    private JobStatus finishPages(JobStore store, boolean... succeeded) {
        OcrJob job = document(store, succeeded.length);
        PageTransition last = null;
        for (int i = 0; i < succeeded.length; i++) {
            boolean ok = succeeded[i];
            last = store.transitionPage(job.id(), i + 1, (j, p) -> true,
                    p -> ok ? p.succeeded(result(), now()) : p.failed(error(), now()));
        }
        assertTrue(last.lastPage());
        PageTransition finished = last;
        assertTrue(store.transition(job.id(), j -> !j.status().isFinal(),
                j -> withStatus(j, finished.progress().outcome())).applied());
        OcrJob stored = store.get(job.id()).orElseThrow();
        assertTrue(stored.status().isFinal());
        return stored.status();
    }

    @Test
    void cancellingADocumentSkipsItsPagesNotStarted() {
        JobStore store = store();
        OcrJob job = document(store, 3);
        BiPredicate<OcrJob, PageTask> startable = (j, p) -> !j.status().isFinal() && p.status() == JobStatus.QUEUED;
        assertTrue(store.transitionPage(job.id(), 1, startable, p -> p.processing(now())).applied());
        assertTrue(store.transition(job.id(), EnumSet.of(JobStatus.QUEUED, JobStatus.PROCESSING),
                j -> withStatus(j, JobStatus.CANCELLED)).applied());
        PageTransition skipped = store.transitionPage(job.id(), 2, startable, p -> p.processing(now()));
        assertFalse(skipped.applied(), "a page not started does not start once its job is cancelled");
        assertEquals(JobStatus.CANCELLED, skipped.job().status());
        assertEquals(0, store.queuedCount(), "the cancelled document's pages no longer count as queued");
        assertTrue(store.part(job.id(), 2).isEmpty(), "its parts go with the cancel");
        assertEquals(new Progress(0, 0, 3), store.progress(job.id()).orElseThrow());
    }

    @Test
    void aDocumentExpiresWithItsPagesAndParts() {
        JobStore store = store();
        OcrJob job = document(store, 2);
        passTtl();
        assertTrue(store.get(job.id()).isEmpty());
        assertTrue(store.pages(job.id()).isEmpty());
        assertTrue(store.page(job.id(), 1).isEmpty());
        assertTrue(store.part(job.id(), 1).isEmpty());
        assertTrue(store.progress(job.id()).isEmpty());
        assertEquals(0, store.queuedCount());
        assertEquals(PageTransition.MISSING, store.transitionPage(job.id(), 1, (j, p) -> true, p -> p));
    }

    @Test
    void aFinishedDocumentKeepsItsPagesForTheTtlFromWhenItFinished() {
        JobStore store = store();
        OcrJob job = document(store, 2);
        Duration twoThirds = ttl().multipliedBy(2).dividedBy(3);
        pass(twoThirds);
        store.transitionPage(job.id(), 1, (j, p) -> true, p -> p.succeeded(result(), now()));
        store.transition(job.id(), j -> true, j -> withStatus(j, JobStatus.CANCELLED));
        assertTrue(store.part(job.id(), 2).isEmpty(), "a final job's parts go at once");
        pass(twoThirds);
        assertEquals(JobStatus.SUCCEEDED, store.page(job.id(), 1).orElseThrow().status(),
                "kept with the result's TTL, not the submission's");
        assertEquals(new Progress(1, 0, 1), store.pages(job.id()).orElseThrow().progress());
        passTtl();
        assertTrue(store.pages(job.id()).isEmpty());
        assertTrue(store.page(job.id(), 1).isEmpty());
    }

    @Test
    void aDocumentThatSucceededInPartKeepsItsPartsForItsResultsTtlAndAFailedOneDropsThem() {
        JobStore store = store();
        OcrJob partly = document(store, 2);
        OcrJob failed = document(store, 1);
        store.transitionPage(partly.id(), 1, (j, p) -> true, p -> p.succeeded(result(), now()));
        store.transitionPage(partly.id(), 2, (j, p) -> true, p -> p.failed(error(), now()));
        store.transitionPage(failed.id(), 1, (j, p) -> true, p -> p.failed(error(), now()));
        pass(ttl().multipliedBy(2).dividedBy(3));
        store.transition(partly.id(), j -> true, j -> withStatus(j, JobStatus.PARTIALLY_SUCCEEDED));
        store.transition(failed.id(), j -> true, j -> withStatus(j, JobStatus.FAILED));
        assertTrue(store.part(failed.id(), 1).isEmpty(), "a failed document's parts go at once");
        pass(ttl().multipliedBy(2).dividedBy(3));
        assertArrayEquals(new byte[]{1, 42}, store.part(partly.id(), 1).orElseThrow(), "kept with the result's TTL");
        assertArrayEquals(new byte[]{2, 42}, store.part(partly.id(), 2).orElseThrow(), "a failed page's too");
        passTtl();
        assertTrue(store.part(partly.id(), 1).isEmpty());
    }

    @Test
    void deletingADocumentRemovesItsPagesAndFreesItsKey() {
        JobStore store = store();
        OcrJob job = queuedDocument("key-document", 1, 2);
        store.createDocument(job, parts(1, 2));
        assertEquals(job, store.createDocument(queuedDocument("key-document", 1), parts(1)), "the key's holder");
        store.delete(job.id());
        assertTrue(store.get(job.id()).isEmpty());
        assertTrue(store.pages(job.id()).isEmpty());
        assertTrue(store.part(job.id(), 1).isEmpty());
        assertTrue(store.idempotentJobId("key-document").isEmpty());
        assertEquals(0, store.queuedCount());
    }

    /** {@code job} as {@code tenant}'s, submitted at {@code at}. */
    static OcrJob owned(OcrJob job, String tenant, Instant at) {
        return new OcrJob(job.id(), job.status(), job.options(), job.callbackUrl(), job.idempotencyKey(),
                job.requestDigest(), at, null, null, 0, null, null, List.of(), null, tenant, job.schedule(),
                job.document());
    }

    /** {@code count} image jobs of {@code tenant}'s, stored, submitted 200 ms apart, the newest first. */
    private List<OcrJob> submitted(JobStore store, String tenant, int count) {
        List<OcrJob> jobs = new ArrayList<>();
        for (int i = count; i > 0; i--) {
            jobs.add(0, store.create(owned(queued(null), tenant, now().minusMillis(200L * i)), new byte[]{1}));
        }
        return jobs;
    }

    private static List<String> ids(List<OcrJob> jobs) {
        return jobs.stream().map(OcrJob::id).toList();
    }

    @Test
    void aTenantsJobsAreListedNewestFirstPageByPageWhileJobsComeIn() {
        JobStore store = store();
        List<OcrJob> jobs = new ArrayList<>(submitted(store, "tenant a", 5));
        // two more in the same millisecond: the id breaks the tie
        Instant tie = now().minusMillis(500);
        List<OcrJob> twins = List.of(store.create(owned(queued(null), "tenant a", tie), new byte[]{1}),
                store.create(owned(queued(null), "tenant a", tie), new byte[]{1}));
        twins.stream().sorted(JobCursor.NEWEST_FIRST).forEach(twin -> jobs.add(0, twin));
        store.create(owned(queued(null), "tenant b", now()), new byte[]{1});
        OcrJob untenanted = store.create(owned(queued(null), null, now()), new byte[]{1});
        jobs.sort(JobCursor.NEWEST_FIRST);

        List<OcrJob> first = store.list("tenant a", null, null, 3);
        assertEquals(ids(jobs.subList(0, 3)), ids(first));
        store.create(owned(queued(null), "tenant a", now()), new byte[]{1}); // newer: before the cursor, never after
        List<OcrJob> second = store.list("tenant a", null, JobCursor.of(first.get(2)), 3);
        assertEquals(ids(jobs.subList(3, 6)), ids(second));
        assertEquals(ids(jobs.subList(6, 7)), ids(store.list("tenant a", null, JobCursor.of(second.get(2)), 3)));
        assertEquals(List.of(), store.list("tenant a", null, JobCursor.of(jobs.get(6)), 3));
        assertEquals(List.of(untenanted.id()), ids(store.list(null, null, null, 10)), "jobs without a tenant apart");
        assertEquals(List.of(), store.list("tenant c", null, null, 10));
    }

    @Test
    void aListingFiltersByStatusAndForgetsExpiredJobs() {
        JobStore store = store();
        List<OcrJob> jobs = submitted(store, "tenant a", 4);
        store.transition(jobs.get(1).id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.SUCCEEDED));
        store.transition(jobs.get(3).id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.SUCCEEDED));
        assertEquals(ids(List.of(jobs.get(1), jobs.get(3))), ids(store.list("tenant a", JobStatus.SUCCEEDED, null, 10)));
        assertEquals(ids(List.of(jobs.get(3))),
                ids(store.list("tenant a", JobStatus.SUCCEEDED, JobCursor.of(jobs.get(1)), 10)));
        assertEquals(JobStatus.SUCCEEDED, store.list("tenant a", JobStatus.SUCCEEDED, null, 1).get(0).status());
        assertEquals(ids(List.of(jobs.get(0), jobs.get(2))), ids(store.list("tenant a", JobStatus.QUEUED, null, 10)));
        passTtl();
        assertEquals(List.of(), store.list("tenant a", null, null, 10), "expired jobs are not listed");
    }

    @Test
    void aTenantsActiveWorkCountsPagesUntilTheyAreFinal() {
        JobStore store = store();
        OcrJob image = store.create(owned(queued(null), "tenant a", now()), new byte[]{1});
        OcrJob document = store.createDocument(owned(queuedDocument(null, 1, 2, 5), "tenant a", now()), parts(1, 2, 5));
        store.create(owned(queued(null), "tenant b", now()), new byte[]{1});
        assertEquals(4, store.activeWork("tenant a"), "an image is one, a document one per page");
        store.transition(image.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.PROCESSING));
        assertEquals(4, store.activeWork("tenant a"), "running work counts");
        store.transition(image.id(), EnumSet.of(JobStatus.PROCESSING), j -> withStatus(j, JobStatus.FAILED));
        assertEquals(3, store.activeWork("tenant a"));
        store.transition(document.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.CANCELLED));
        assertEquals(0, store.activeWork("tenant a"));
        assertEquals(1, store.activeWork("tenant b"));
        assertEquals(0, store.activeWork(null));
        OcrJob deleted = store.create(owned(queued(null), "tenant b", now()), new byte[]{1});
        store.delete(deleted.id());
        assertEquals(1, store.activeWork("tenant b"), "a deleted job's work goes with it");
        passTtl();
        assertEquals(0, store.activeWork("tenant b"), "an expired job's work goes with it");
    }

    @Test
    void aQuotaRefusesWorkBeyondItsBoundAndHasRoomAgainAsWorkEnds() {
        JobStore store = store();
        OptionalLong two = OptionalLong.of(2);
        OcrJob first = store.create(owned(queued(null), "tenant a", now()), new byte[]{1}, two);
        OcrJob document = owned(queuedDocument(null, 1, 2), "tenant a", now());
        TenantQuotaExceededException refused = assertThrows(TenantQuotaExceededException.class,
                () -> store.createDocument(document, parts(1, 2), two));
        assertTrue(refused.getMessage().contains("1 pages"), refused.getMessage());
        assertTrue(store.get(document.id()).isEmpty(), "nothing of a refused job is kept");
        assertEquals(1, store.activeWork("tenant a"));
        store.create(owned(queued(null), "tenant b", now()), new byte[]{1}, OptionalLong.of(1)); // its own quota
        store.create(owned(queued(null), "tenant a", now()), new byte[]{1}, two);
        assertThrows(TenantQuotaExceededException.class,
                () -> store.create(owned(queued(null), "tenant a", now()), new byte[]{1}, two));
        store.transition(first.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.EXPIRED));
        store.create(owned(queued(null), "tenant a", now()), new byte[]{1}, two);
        assertEquals(2, store.activeWork("tenant a"));
    }

    @Test
    void ofConcurrentCreationsOnManyReplicasExactlyTheQuotaIsAccepted() throws Exception {
        JobStore first = store();
        List<JobStore> replicas = List.of(first, sameBackend(first));
        int racers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> accepted = new ArrayList<>();
            for (int r = 0; r < racers; r++) {
                JobStore replica = replicas.get(r % replicas.size());
                accepted.add(pool.submit(() -> {
                    go.await();
                    try {
                        replica.create(owned(queued(null), "tenant a", now()), new byte[]{1}, OptionalLong.of(5));
                        return true;
                    } catch (TenantQuotaExceededException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Boolean> one : accepted) {
                total += one.get() ? 1 : 0;
            }
            assertEquals(5, total, "exactly the quota accepted");
            assertEquals(5, first.activeWork("tenant a"));
            assertEquals(5, first.list("tenant a", null, null, 100).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void purgingAFinishedDocumentRemovesEverythingItKeptAtOnce() {
        JobStore store = store();
        OcrJob job = queuedDocument("key-purged", 1, 2);
        store.createDocument(job, parts(1, 2));
        store.transitionPage(job.id(), 1, (j, p) -> true, p -> p.succeeded(result(), now()));
        owe(store, job, now());
        Transition refused = store.purge(job.id(), j -> false);
        assertFalse(refused.applied(), "a purge that does not apply removes nothing");
        assertEquals(job.id(), refused.job().id());
        assertTrue(store.page(job.id(), 1).isPresent());

        Transition purged = store.purge(job.id(), j -> j.status().isFinal());
        assertTrue(purged.applied());
        assertEquals(job.id(), purged.job().id(), "answers the job as it was");
        JobStore other = sameBackend(store);
        assertTrue(other.get(job.id()).isEmpty());
        assertTrue(other.pages(job.id()).isEmpty());
        assertTrue(other.page(job.id(), 1).isEmpty());
        assertTrue(other.part(job.id(), 2).isEmpty());
        assertTrue(other.progress(job.id()).isEmpty());
        assertTrue(other.idempotentJobId("key-purged").isEmpty(), "its idempotency key is free");
        assertEquals(List.of(), other.dueDeliveries(now().plusSeconds(60), 10), "its pending event goes too");
        assertEquals(Transition.MISSING, other.transition(job.id(), j -> true, j -> j));
        assertEquals(Transition.MISSING, other.purge(job.id(), j -> true), "a second purge finds nothing");
    }

    @Test
    void aPurgedJobLeavesItsTenantsListingAndActiveWork() {
        JobStore store = store();
        OcrJob image = store.create(owned(queued(null), "tenant p", now()), new byte[]{1});
        OcrJob document = store.createDocument(owned(queuedDocument(null, 1, 2), "tenant p", now()), parts(1, 2));
        assertEquals(3, store.activeWork("tenant p"));
        store.purge(image.id(), j -> true);
        store.purge(document.id(), j -> true);
        JobStore other = sameBackend(store);
        assertEquals(0, other.activeWork("tenant p"), "a purged job's work goes with it");
        assertEquals(List.of(), other.list("tenant p", null, null, 10), "nor is it listed");
    }

    @Test
    void purgingAnImagesJobRemovesItsImageAndLeavesOthers() {
        JobStore store = store();
        OcrJob purged = store.create(queued(null), new byte[]{1});
        OcrJob kept = store.create(queued(null), new byte[]{2});
        assertTrue(store.purge(purged.id(), j -> true).applied());
        assertTrue(store.get(purged.id()).isEmpty());
        assertTrue(store.image(purged.id()).isEmpty());
        assertEquals(1, store.queuedCount(), "a queued job purged no longer counts");
        assertArrayEquals(new byte[]{2}, store.image(kept.id()).orElseThrow());
    }

    private static OcrResult result() {
        return new OcrResult(10, 10, List.of(new OcrLine("page", 0.9, new int[][]{{0, 0}, {9, 0}, {9, 9}, {0, 9}}, 0,
                List.of())), Map.of(OcrResult.TOTAL, 1.0), Tuning.DEFAULT);
    }

    private static JobError error() {
        return new JobError(ErrorCode.IMAGE_UNDECODABLE, "not a page", true);
    }

    /** Finishes a job owing one callback, due at {@code due}. */
    private static void owe(JobStore store, OcrJob job, Instant due) {
        store.transition(job.id(), EnumSet.of(JobStatus.QUEUED), j -> withStatus(j, JobStatus.SUCCEEDED)
                .withDeliveries(List.of(Delivery.pending(Delivery.Target.CALLBACK, "http://receiver.test/", due))));
    }
}
