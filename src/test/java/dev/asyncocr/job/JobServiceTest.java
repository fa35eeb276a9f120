package dev.asyncocr.job;

import dev.asyncocr.api.JobWaiter;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.image.PageRenderer;
import dev.asyncocr.image.TextLayer;
import dev.asyncocr.job.JobService.Outcome;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.Tuning;
import dev.asyncocr.store.InMemoryJobStore;
import dev.asyncocr.testing.MutableClock;
import dev.asyncocr.testing.TestDocuments;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle rules on the real in-memory store. The queue here only records what it is given: the
 * broker adapters have their own tests against real brokers.
 */
class JobServiceTest {

    private static final byte[] IMAGE = {1, 2, 3};
    private static final OcrResult RESULT = new OcrResult(1, 1, List.of(), Map.of("total", 1.0), Tuning.DEFAULT);
    private static final Duration PRIOR = Duration.ofSeconds(2);
    private static final PageRenderer RENDERER = new PageRenderer(40_000_000);

    private final MutableClock clock = new MutableClock();
    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofHours(1), clock);
    private final RecordingQueue queue = new RecordingQueue();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final JobWaiter waiter = new JobWaiter(store);
    private final JobService service = new JobService(store, queue, notifier, metrics, waiter, RENDERER, 3, TenantQuotas.NONE, FairShare.NONE, 2, PRIOR,
            clock);

    @Test
    void submitStoresTheImageAndQueuesOnlyTheId() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://example.test/cb", null, null, null);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(List.of(new JobMessage(job.id(), 1, OcrOptions.ALL)), queue.messages);
        assertTrue(store.image(job.id()).isPresent());
        assertEquals("http://example.test/cb", service.find(job.id(), null).orElseThrow().callbackUrl());
    }

    @Test
    void theSameIdempotencyKeyAndImageGiveTheFirstJob() {
        OcrJob first = service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null);
        OcrJob again = service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null);
        assertEquals(first.id(), again.id());
        JobMessage message = new JobMessage(first.id(), 1, OcrOptions.ALL);
        assertEquals(List.of(message, message), queue.messages,
                "a retry of a job still queued queues it again: the first submission may have died before queueing");
        assertEquals(Outcome.DONE, service.process(message, (image, options) -> RESULT));
        assertEquals(first.id(), service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null).id());
        assertEquals(2, queue.messages.size(), "nothing queued again for a finished job");
        assertThrows(IdempotencyKeyReusedException.class, () -> service.submit(new byte[]{9}, OcrOptions.ALL, null, "k", null, null));
    }

    @Test
    void aTenantSeesCancelsAndReusesKeysOfItsOwnJobsOnly() {
        OcrJob mine = service.submit(IMAGE, OcrOptions.ALL, null, "k", null, "tenant a");
        OcrJob theirs = service.submit(new byte[]{9}, OcrOptions.ALL, null, "k", null, "tenant b");
        assertNotEquals(mine.id(), theirs.id(), "one key in two tenants is two keys");
        assertEquals("tenant a", mine.tenant());
        assertEquals(mine.id(), service.submit(IMAGE, OcrOptions.ALL, null, "k", null, "tenant a").id());
        IdempotencyKeyReusedException reused = assertThrows(IdempotencyKeyReusedException.class,
                () -> service.submit(new byte[]{7}, OcrOptions.ALL, null, "k", null, "tenant a"));
        assertEquals(mine.id(), reused.requestId());
        assertTrue(reused.getMessage().contains("'k'"), "the key as the client gave it: " + reused.getMessage());
        assertNotEquals(mine.id(), service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null).id(),
                "without a tenant the key is a third one");

        assertTrue(service.find(mine.id(), "tenant b").isEmpty());
        assertTrue(service.find(mine.id(), null).isEmpty(), "a tenant's job is not everyone's");
        assertEquals(JobStore.Transition.MISSING, service.cancel(mine.id(), "tenant b"));
        assertEquals(JobStatus.QUEUED, service.find(mine.id(), "tenant a").orElseThrow().status());
        assertTrue(service.cancel(mine.id(), "tenant a").applied());
    }

    @Test
    void theSameKeyWithOtherOptionsOrCallbackIsAReuse() {
        OcrJob first = service.submit(IMAGE, new OcrOptions(true, false, true), null, "k", null, null);
        IdempotencyKeyReusedException reuse = assertThrows(IdempotencyKeyReusedException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null));
        assertEquals(first.id(), reuse.requestId());
        assertThrows(IdempotencyKeyReusedException.class, () -> service.submit(IMAGE, new OcrOptions(true, false, true),
                "http://example.test/cb", "k", null, null));
        assertEquals(first.id(), service.submit(IMAGE, new OcrOptions(true, false, true), null, "k", null, null).id());
    }

    @Test
    void aRetryOfAFinishedJobAnswersItAsItIs() {
        OcrJob first = service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null);
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null).status());
        assertEquals(1, queue.messages.size());
        assertEquals(first.id(), queue.last().requestId());
    }

    @Test
    void aReplayByIdempotencyKeyTakesNoPlaceInTheQueue() {
        OcrJob first = service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null);
        assertEquals(first.id(), service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null).id());
        OcrJob next = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        assertEquals(first.schedule().sequence() + 1, next.schedule().sequence());
    }

    @Test
    void aTenantBeyondItsQuotaIsRefusedWithWhenToRetryAndOthersAreNot() {
        JobService bounded = new JobService(store, queue, notifier, metrics, waiter, RENDERER, 3,
                new TenantQuotas(OptionalLong.of(1), Map.of("big", 2L)), FairShare.NONE, 2, PRIOR, clock);
        bounded.submit(IMAGE, OcrOptions.ALL, null, null, null, "small");
        TenantQuotaExceededException refused = assertThrows(TenantQuotaExceededException.class,
                () -> bounded.submit(IMAGE, OcrOptions.ALL, null, null, null, "small"));
        assertEquals(OptionalLong.of(2), refused.retryAfterSeconds(), "one job ahead of the bound: one interval");
        bounded.submit(IMAGE, OcrOptions.ALL, null, null, null, "big");
        bounded.submit(IMAGE, OcrOptions.ALL, null, null, null, "big");
        assertEquals(3, queue.messages.size(), "the refused job was not queued");
    }

    @Test
    void aJobStoredButNeverQueuedIsQueuedByItsRetry() {
        // the fault: the broker refuses the message and the store fails to take the job back
        JobService faulty = new JobService(new InMemoryJobStore(Duration.ofHours(1), clock) {
            @Override
            public void delete(String id) {
                throw new StoreUnavailableException("store down", null);
            }
        }, queue, notifier, metrics, waiter, RENDERER, 3, TenantQuotas.NONE, FairShare.NONE, 2, PRIOR, clock);
        queue.down = true;
        assertThrows(StoreUnavailableException.class, () -> faulty.submit(IMAGE, OcrOptions.ALL, null, "k", null, null));
        queue.down = false;
        OcrJob retried = faulty.submit(IMAGE, OcrOptions.ALL, null, "k", null, null);
        assertEquals(List.of(new JobMessage(retried.id(), 1, OcrOptions.ALL)), queue.messages,
                "the retry queues the job that its first submission stored but could not queue");
        assertEquals(Outcome.DONE, faulty.process(queue.last(), (image, options) -> RESULT));
        assertEquals(JobStatus.SUCCEEDED, faulty.find(retried.id(), null).orElseThrow().status());
        faulty.submit(IMAGE, OcrOptions.ALL, null, "k", null, null);
        assertEquals(1, queue.messages.size(), "a finished job is not queued again");
    }

    @Test
    void aFullQueueRefusesNewJobs() {
        for (int i = 0; i < 3; i++) {
            service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        }
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, null, null, null));
        assertTrue(e.full());
    }

    @Test
    void aJobTheBrokerDidNotTakeLeavesNoTrace() {
        queue.down = true;
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, "k", null, null));
        assertFalse(e.full());
        assertEquals(0, store.queuedCount());
        assertTrue(store.idempotentJobId("k").isEmpty());
    }

    @Test
    void processingStoresTheResultAndKeepsTheImageForTheSearchablePdf() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        clock.advance(Duration.ofMillis(5));
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> RESULT));
        OcrJob done = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(RESULT, done.result());
        assertEquals(1, done.attempts());
        assertEquals(job.submittedAt().plusMillis(5), done.startedAt());
        assertTrue(store.image(job.id()).isPresent(), "kept until the result expires");
    }

    @Test
    void aRedeliveredFinishedJobDoesNotRunAgain() {
        service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        service.process(queue.last(), (image, options) -> RESULT);
        AtomicInteger runs = new AtomicInteger();
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> {
            runs.incrementAndGet();
            return RESULT;
        }));
        assertEquals(0, runs.get());
    }

    @Test
    void badInputFailsAtOnceWithoutRetry() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "corrupt");
        }));
        OcrJob failed = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(new JobError(ErrorCode.IMAGE_UNDECODABLE, "corrupt", true), failed.error());
    }

    @Test
    void serviceFailuresAreRetriedThenDeadLettered() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        JobService.Recognizer broken = (image, options) -> {
            throw new IllegalStateException("device lost");
        };
        assertEquals(Outcome.RETRY, service.process(queue.last(), broken));
        assertEquals(JobStatus.QUEUED, service.find(job.id(), null).orElseThrow().status());
        assertEquals(Outcome.DEAD_LETTER, service.process(queue.last(), broken));
        OcrJob failed = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(2, failed.attempts());
        assertFalse(failed.error().inputFault());
        assertTrue(failed.error().message().contains("device lost"), failed.error().message());
        assertEquals(1, metrics.submitted.get());
        assertEquals(List.of(JobStatus.FAILED), metrics.completed, "a retry is not an outcome");
    }

    @Test
    void metricsHearOfEverySubmissionAndEachOutcomeOnce() {
        OcrJob done = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        service.process(queue.last(), (image, options) -> RESULT);
        service.process(queue.last(), (image, options) -> RESULT); // a redelivery
        OcrJob cancelled = service.submit(new byte[] {7}, OcrOptions.ALL, null, null, null, null);
        service.cancel(cancelled.id(), null);
        service.cancel(cancelled.id(), null);
        assertThrows(QueueUnavailableException.class, () -> {
            queue.down = true;
            service.submit(new byte[] {8}, OcrOptions.ALL, null, null, null, null);
        });
        assertEquals(2, metrics.submitted.get(), done.id() + " and " + cancelled.id());
        assertEquals(List.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED), metrics.completed);
    }

    @Test
    void aJobCancelledWhileRunningKeepsItsCancellation() throws Exception {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<Outcome> worker = CompletableFuture.supplyAsync(() -> service.process(queue.last(), (image, options) -> {
            running.countDown();
            await(cancelled);
            return RESULT;
        }));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        assertTrue(service.cancel(job.id(), null).applied());
        cancelled.countDown();
        assertEquals(Outcome.DONE, worker.get(5, TimeUnit.SECONDS));
        OcrJob after = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.CANCELLED, after.status());
        assertNull(after.result());
        assertFalse(service.cancel(job.id(), null).applied(), "a final job cannot be cancelled");
    }

    @Test
    void aWaiterWakesWhenTheServiceFinishesTheJob() throws Exception {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        CompletableFuture<OcrJob> waiting = CompletableFuture.supplyAsync(
                () -> waiter.awaitFinal(job.id(), Duration.ofSeconds(10)).await().indefinitely().orElseThrow());
        Awaitility.await().until(waiter::waiting, n -> n == 1);
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, waiting.get(5, TimeUnit.SECONDS).status());
        assertEquals(0, waiter.waiting());
        OcrJob other = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        assertEquals(JobStatus.QUEUED, waiter.awaitFinal(other.id(), Duration.ofMillis(30)).await().indefinitely().orElseThrow().status(),
                "the timeout gives the job as it is");
        assertTrue(waiter.awaitFinal("no-such-job", Duration.ofSeconds(1)).await().indefinitely().isEmpty());
    }

    @Test
    void aFinishedJobIsStoredWithTheDeliveriesItOwesAndTheNotifierHearsOfIt() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null, null);
        service.process(queue.last(), (image, options) -> RESULT);
        OcrJob done = service.find(job.id(), null).orElseThrow();
        assertEquals(List.of(Delivery.pending(Delivery.Target.CALLBACK, "http://receiver.test/done",
                done.finishedAt())), done.deliveries(), "stored in the write that finished the job");
        assertEquals(List.of(done), notifier.finished);

        OcrJob failing = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null, null);
        service.process(queue.last(), (image, options) -> {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "corrupt");
        });
        assertEquals(1, service.find(failing.id(), null).orElseThrow().deliveries().size(), "a failed job notifies too");
    }

    @Test
    void aCancelledJobOwesNoEvent() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null, null);
        service.cancel(job.id(), null);
        assertEquals(List.of(), service.find(job.id(), null).orElseThrow().deliveries());
        assertEquals(List.of(), notifier.finished);
    }

    @Test
    void aJobNotStartedByItsDeadlineExpiresWithoutRunning() {
        Schedule schedule = new Schedule(clock.instant().plusSeconds(10));
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null, null, schedule,
                DeadlinePolicy.EXPIRE);
        clock.advance(Duration.ofSeconds(10));
        AtomicInteger runs = new AtomicInteger();
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> {
            runs.incrementAndGet();
            return RESULT;
        }));
        assertEquals(0, runs.get(), "no inference for a job nobody waits for");
        OcrJob expired = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.EXPIRED, expired.status());
        assertEquals(ErrorCode.JOB_EXPIRED, expired.error().code());
        assertNull(expired.startedAt());
        assertEquals(schedule.deadline(), expired.schedule().deadline());
        assertTrue(store.image(job.id()).isEmpty());
        assertEquals(List.of(expired), notifier.finished, "it owes its completion event");
        assertEquals(List.of(JobStatus.EXPIRED), metrics.completed);
    }

    @Test
    void aJobStartedBeforeItsDeadlineRuns() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null,
                new Schedule(clock.instant().plusSeconds(10)), DeadlinePolicy.EXPIRE);
        clock.advance(Duration.ofMillis(9_999));
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, service.find(job.id(), null).orElseThrow().status());
    }

    @Test
    void aQueuedJobPastItsDeadlineExpiresWhenRead() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null, new Schedule(clock.instant().plusSeconds(1)),
                DeadlinePolicy.EXPIRE);
        assertEquals(JobStatus.QUEUED, service.find(job.id(), null).orElseThrow().status());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(JobStatus.EXPIRED, service.find(job.id(), null).orElseThrow().status(), "at once, not when a worker comes");
        assertEquals(0, store.queuedCount());
        assertEquals(List.of(JobStatus.EXPIRED), metrics.completed);
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> {
            throw new AssertionError("an expired job's message is settled without running");
        }));
        assertEquals(List.of(JobStatus.EXPIRED), metrics.completed, "expired once");
    }

    @Test
    void aRetriedJobPastItsDeadlineStillRuns() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null, new Schedule(clock.instant().plusSeconds(1)),
                DeadlinePolicy.EXPIRE);
        assertEquals(Outcome.RETRY, service.process(queue.last(), (image, options) -> {
            throw new IllegalStateException("device lost");
        }));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(JobStatus.QUEUED, service.find(job.id(), null).orElseThrow().status(), "it was started in time");
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, service.find(job.id(), null).orElseThrow().status());
    }

    @Test
    void queuedJobsStandInOrderAndMoveUpAsJobsAheadStart() {
        List<OcrJob> jobs = List.of(service.submit(IMAGE, OcrOptions.ALL, null, null, null, null),
                service.submit(IMAGE, OcrOptions.ALL, null, null, null, null), service.submit(IMAGE, OcrOptions.ALL, null, null, null, null));
        assertEquals(List.of(1L, 2L, 3L), jobs.stream().map(j -> service.standing(j).orElseThrow().position()).toList());
        // before anything was measured: one job at a time, each taking the prior
        QueueStanding third = service.standing(jobs.get(2)).orElseThrow();
        assertEquals(clock.instant().plus(PRIOR.multipliedBy(3)), third.estimatedStart());
        assertEquals(third.estimatedStart().plus(PRIOR), third.estimatedFinish());

        service.process(queue.messages.get(0), (image, options) -> {
            clock.advance(Duration.ofMillis(500));
            return RESULT;
        });
        assertEquals(List.of(1L, 2L), jobs.subList(1, 3).stream()
                .map(j -> service.standing(j).orElseThrow().position()).toList());
        assertEquals(Duration.ofMillis(500), store.serviceRate().serviceTime(), "measured, in place of the prior");
        assertEquals(clock.instant().plusMillis(1000), service.standing(jobs.get(2)).orElseThrow().estimatedStart());
        assertTrue(service.standing(service.find(jobs.get(0).id(), null).orElseThrow()).isEmpty(), "a final job stands nowhere");
    }

    @Test
    void aRunningJobIsEstimatedToFinishOneServiceTimeAfterItStarted() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        AtomicReference<QueueStanding> whileRunning = new AtomicReference<>();
        service.process(queue.last(), (image, options) -> {
            whileRunning.set(service.standing(service.find(job.id(), null).orElseThrow()).orElseThrow());
            return RESULT;
        });
        assertEquals(0, whileRunning.get().position());
        assertEquals(clock.instant().plus(PRIOR), whileRunning.get().estimatedFinish());
        assertEquals(2, whileRunning.get().retryAfterSeconds(clock.instant()));
    }

    @Test
    void aDeadlineTheQueueCannotMeetIsRefusedOnlyWhenAsked() {
        service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        Schedule tooSoon = new Schedule(clock.instant().plus(PRIOR)); // second in line: starts after two priors
        assertThrows(DeadlineUnreachableException.class, () -> service.submit(new byte[]{5}, OcrOptions.ALL, null, "k",
                null, null, tooSoon, DeadlinePolicy.REJECT));
        assertEquals(1, store.queuedCount(), "nothing kept of the refused job");
        assertEquals(1, queue.messages.size(), "nor queued");
        assertTrue(store.idempotentJobId("k").isEmpty());
        service.submit(new byte[]{5}, OcrOptions.ALL, null, null, null, null, tooSoon, DeadlinePolicy.EXPIRE);
        OcrJob inTime = service.submit(new byte[]{6}, OcrOptions.ALL, null, null, null, null,
                new Schedule(clock.instant().plus(PRIOR.multipliedBy(3))), DeadlinePolicy.REJECT);
        assertEquals(3, service.standing(inTime).orElseThrow().position());
    }

    @Test
    void aFullQueueSaysWhenAPlaceShouldFreeUp() {
        for (int i = 0; i < 3; i++) {
            service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        }
        QueueUnavailableException full = assertThrows(QueueUnavailableException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, null, null, null));
        assertEquals(PRIOR.toSeconds(), full.retryAfterSeconds().orElseThrow(), "one job to start, one prior");
    }

    @Test
    void aRefusedCallbackUrlStoresAndQueuesNothing() {
        assertThrows(CallbackUrlRefusedException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, RecordingNotifier.REFUSED, null, null, null));
        assertEquals(List.of(), queue.messages);
        assertEquals(0, store.queuedCount());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A document of images (parts pass the renderer as they are), page numbers as given. */
    private OcrJob document(int... pages) {
        return document(false, pages);
    }

    private OcrJob document(boolean pageEvents, int... pages) {
        List<PagePart> parts = Arrays.stream(pages).mapToObj(p -> new PagePart(p, new byte[]{(byte) p}))
                .toList();
        return service.submitDocument(new byte[]{9}, parts, 200, pageEvents, TextLayer.AUTO, OcrOptions.ALL,
                "http://example.test/cb", null, null, null, Schedule.NONE, DeadlinePolicy.EXPIRE);
    }

    @Test
    void aDocumentStandsAndIsEstimatedAsItsPagesAndEachPageThatRanIsMeasured() {
        OcrJob document = document(1, 2); // and the image: the queue's limit, 3
        OcrJob image = service.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        QueueStanding pages = service.standing(document).orElseThrow();
        assertEquals(1, pages.position());
        assertEquals(clock.instant().plus(PRIOR), pages.estimatedStart());
        assertEquals(clock.instant().plus(PRIOR.multipliedBy(3)), pages.estimatedFinish(), "its last page starts "
                + "one place after its first");
        QueueStanding behind = service.standing(image).orElseThrow();
        assertEquals(3, behind.position());
        assertEquals(clock.instant().plus(PRIOR.multipliedBy(3)), behind.estimatedStart());

        service.process(queue.messages.get(0), (part, options) -> {
            clock.advance(Duration.ofMillis(500));
            return RESULT;
        });
        assertEquals(Duration.ofMillis(500), store.serviceRate().serviceTime(), "a page is measured as it completes");
        assertEquals(2, service.standing(image).orElseThrow().position());
        QueueStanding running = service.standing(service.find(document.id(), null).orElseThrow()).orElseThrow();
        assertEquals(0, running.position());
        assertEquals(clock.instant().plusMillis(1000), running.estimatedFinish(), "when its last page should be done");
    }

    @Test
    void aDocumentQueuesOneMessagePerPageAndFinishesOnceWithItsLastPage() {
        OcrJob job = document(1, 2, 5);
        assertEquals(List.of(JobMessage.page(job.id(), OcrOptions.ALL, 1), JobMessage.page(job.id(), OcrOptions.ALL, 2),
                JobMessage.page(job.id(), OcrOptions.ALL, 5)), queue.messages);
        assertEquals(3, job.pagesTotal());
        for (JobMessage message : queue.messages) {
            assertEquals(JobService.Outcome.DONE, service.process(message, (image, options) -> {
                if (image[0] == 2) {
                    throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "page 2 is noise");
                }
                return RESULT;
            }));
        }
        OcrJob finished = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.PARTIALLY_SUCCEEDED, finished.status());
        assertEquals(new Progress(2, 1, 0), finished.document().outcome());
        assertEquals(List.of(JobStatus.PARTIALLY_SUCCEEDED), metrics.completed, "finished once");
        assertEquals(1, notifier.finished.size(), "one completion event");
        assertEquals(ErrorCode.IMAGE_UNDECODABLE, service.page(job.id(), 2).orElseThrow().error().code());
        assertEquals(JobService.Outcome.DONE, service.process(queue.messages.get(0), (image, options) -> RESULT),
                "a redelivered page of a finished document does nothing");
        assertEquals(1, notifier.finished.size());
    }

    /**
     * On the worker, a born-digital page's own text is its result (source pdf) without the recognizer; with
     * text_layer=ocr the page is rendered and recognised. The mode is part of the request for its key.
     */
    @Test
    void aBornDigitalPageIsReadFromItsTextLayerUnlessTheJobAsksForOcr() {
        byte[] part = TestDocuments.pdf(null, doc -> TestDocuments.textPage(doc, PDRectangle.A4, 0,
                TestDocuments.INVOICE));
        for (TextLayer mode : TextLayer.values()) {
            OcrJob job = service.submitDocument(part, List.of(new PagePart(1, part)), 100, false, mode, OcrOptions.ALL,
                    null,
                    "key " + mode, null, null, Schedule.NONE, DeadlinePolicy.EXPIRE);
            AtomicInteger recognised = new AtomicInteger();
            service.process(JobMessage.page(job.id(), OcrOptions.ALL, 1), (image, options) -> {
                recognised.incrementAndGet();
                return RESULT;
            });
            PageTask page = service.page(job.id(), 1).orElseThrow();
            assertEquals(JobStatus.SUCCEEDED, page.status());
            if (mode == TextLayer.AUTO) {
                assertEquals(PageTask.TextSource.PDF, page.source());
                assertEquals(0, recognised.get(), "no inference spent");
                assertEquals(String.join("\n", TestDocuments.INVOICE), page.result().text());
                assertEquals(100, page.dpi());
            } else {
                assertEquals(PageTask.TextSource.OCR, page.source());
                assertEquals(1, recognised.get());
            }
        }
        assertThrows(IdempotencyKeyReusedException.class, () -> service.submitDocument(part,
                List.of(new PagePart(1, part)), 100, false, TextLayer.OCR, OcrOptions.ALL, null, "key AUTO", null, null,
                Schedule.NONE, DeadlinePolicy.EXPIRE));
    }

    @Test
    void aRedeliveredLastPageFinishesADocumentWhoseWorkerStoppedBeforeTheJob() {
        OcrJob job = document(1);
        // the last page turned final, and the worker stopped before it could finish the job
        store.transitionPage(job.id(), 1, (j, p) -> true, p -> p.succeeded(RESULT, clock.instant()));
        assertEquals(JobStatus.QUEUED, service.find(job.id(), null).orElseThrow().status());
        service.process(queue.messages.get(0), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, service.find(job.id(), null).orElseThrow().status());
        assertEquals(1, notifier.finished.size());
    }

    @Test
    void eachPageOwesOneEventWhenAskedEvenOnRedeliveryAndTheJobItsCompletionEventBeside() {
        OcrJob job = document(true, 1, 2);
        // page 1 turned final, and its worker stopped before it could record the page's event
        store.transitionPage(job.id(), 1, (j, p) -> true, p -> p.succeeded(RESULT, clock.instant()));
        for (JobMessage message : List.copyOf(queue.messages)) {
            service.process(message, (image, options) -> RESULT);
            service.process(message, (image, options) -> RESULT); // a redelivery
        }
        OcrJob finished = service.find(job.id(), null).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, finished.status());
        assertEquals(Arrays.asList(1, 2, null), finished.deliveries().stream()
                .map(d -> d.page() == null ? null : d.page().page()).toList(), "one per page, then the job's own");
        assertEquals(new Progress(2, 0, 0), finished.deliveries().get(1).page().progress());
        assertEquals(List.of(JobStatus.SUCCEEDED), metrics.pages, "the page this service ran, counted once");
        assertTrue(finished.deliveries().get(1).page().finishedAt() != null);

        OcrJob quiet = document(1);
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(1, service.find(quiet.id(), null).orElseThrow().deliveries().size(), "no page events unasked");
    }

    @Test
    void aBrokerFailingMidwayLeavesNoHalfQueuedDocument() {
        JobService failing = new JobService(store, new JobQueue() {
            private int sent;

            @Override
            public void enqueue(JobMessage message, Lane lane, String share) {
                if (++sent == 2) {
                    throw new QueueUnavailableException("broker down", false, null);
                }
                queue.enqueue(message, lane, share);
            }
        }, notifier, metrics, waiter, RENDERER, 3, TenantQuotas.NONE, FairShare.NONE, 2, PRIOR, clock);
        assertThrows(QueueUnavailableException.class, () -> failing.submitDocument(new byte[]{9},
                List.of(new PagePart(1, new byte[]{1}), new PagePart(2, new byte[]{2})), 200, false, TextLayer.AUTO,
                OcrOptions.ALL, null,
                null, null, null, Schedule.NONE, DeadlinePolicy.EXPIRE));
        String id = queue.messages.get(0).requestId();
        assertTrue(service.find(id, null).isEmpty(), "the job is gone");
        assertEquals(JobService.Outcome.DONE, service.process(queue.messages.get(0), (image, options) -> RESULT),
                "the page already queued finds no job and is acknowledged");
        assertEquals(0, store.queuedCount());
    }

    @Test
    void aDocumentsPagesGoInItsLaneAndTheLaneIsPartOfTheRequest() {
        service.submitDocument(new byte[]{9}, List.of(new PagePart(1, new byte[]{1}), new PagePart(2, new byte[]{2})),
                200, false, TextLayer.AUTO, OcrOptions.ALL, null, null, null, null, new Schedule(null, Lane.LOW),
                DeadlinePolicy.EXPIRE);
        assertEquals(List.of(Lane.LOW, Lane.LOW), queue.lanes);
        OcrJob high = service.submit(IMAGE, OcrOptions.ALL, null, "key", null, null, new Schedule(null, Lane.HIGH),
                DeadlinePolicy.EXPIRE);
        assertEquals(Lane.HIGH, queue.lanes.get(2));
        assertEquals(high.id(), service.submit(IMAGE, OcrOptions.ALL, null, "key", null, null,
                new Schedule(null, Lane.HIGH), DeadlinePolicy.EXPIRE).id(), "the same request");
        assertThrows(IdempotencyKeyReusedException.class, () -> service.submit(IMAGE, OcrOptions.ALL, null, "key", null,
                null, Schedule.NONE, DeadlinePolicy.EXPIRE), "another lane, another request");
    }

    @Test
    void aNamedTenantsJobsWaitInItsShareWithFairShareAndTheOthersInTheSharedOne() {
        InMemoryJobStore jobs = new InMemoryJobStore(Duration.ofHours(1), clock);
        RecordingQueue queued = new RecordingQueue();
        JobService fair = new JobService(jobs, queued, notifier, metrics, waiter, RENDERER, 10, TenantQuotas.NONE,
                new FairShare(Set.of("tenant a")), 2, PRIOR, clock);
        OcrJob document = fair.submitDocument(new byte[]{9}, List.of(new PagePart(1, new byte[]{1}),
                        new PagePart(2, new byte[]{2})), 200, false, TextLayer.AUTO, OcrOptions.ALL, null, null, null,
                "tenant a", new Schedule(null, Lane.LOW), DeadlinePolicy.EXPIRE);
        fair.submit(IMAGE, OcrOptions.ALL, null, null, null, "tenant b");
        fair.submit(IMAGE, OcrOptions.ALL, null, null, null, null);
        assertEquals(Arrays.asList("tenant a", "tenant a", null, null), queued.shares);
        assertEquals(List.of(Lane.LOW, Lane.LOW, Lane.NORMAL, Lane.NORMAL), queued.lanes);
        assertEquals("tenant a", jobs.get(document.id()).orElseThrow().schedule().share(), "as stored");
    }

    @Test
    void aMessageOfANewerFormatIsNotUnderstoodAndOneWithoutAVersionIs() {
        assertTrue(new JobMessage("id", 1, OcrOptions.ALL, null, 0).understood(), "format 1 had no version");
        assertTrue(JobMessage.page("id", OcrOptions.ALL, 1).understood());
        assertFalse(new JobMessage("id", 1, OcrOptions.ALL, 1, JobMessage.VERSION + 1).understood());
    }

    private static final class RecordingQueue implements JobQueue {
        final List<JobMessage> messages = new CopyOnWriteArrayList<>();
        final List<Lane> lanes = new CopyOnWriteArrayList<>();
        final List<String> shares = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void enqueue(JobMessage message, Lane lane, String share) {
            if (down) {
                throw new QueueUnavailableException("broker down", false, null);
            }
            messages.add(message);
            lanes.add(lane);
            shares.add(share);
        }

        JobMessage last() {
            return messages.get(messages.size() - 1);
        }
    }

    private static final class RecordingMetrics implements JobMetrics {
        final AtomicInteger submitted = new AtomicInteger();
        final List<JobStatus> completed = new CopyOnWriteArrayList<>();
        final List<JobStatus> pages = new CopyOnWriteArrayList<>();

        @Override
        public void pageCompleted(PageTask page) {
            pages.add(page.status());
        }

        @Override
        public void submitted(OcrJob job) {
            submitted.incrementAndGet();
        }

        @Override
        public void completed(OcrJob job) {
            completed.add(job.status());
        }
    }

    /** Owes one callback delivery per callback URL, refuses one URL, and records what finished. */
    private static final class RecordingNotifier implements JobNotifier {
        static final String REFUSED = "http://refused.test/";
        final List<OcrJob> finished = new CopyOnWriteArrayList<>();

        @Override
        public void checkCallbackUrl(String url) {
            if (url.equals(REFUSED)) {
                throw new CallbackUrlRefusedException("refused");
            }
        }

        @Override
        public List<Delivery> deliveriesFor(OcrJob job) {
            return job.callbackUrl() == null ? List.of()
                    : List.of(Delivery.pending(Delivery.Target.CALLBACK, job.callbackUrl(), job.finishedAt()));
        }

        @Override
        public List<Delivery> deliveriesFor(OcrJob job, Delivery.PageEvent page) {
            return job.callbackUrl() == null ? List.of()
                    : List.of(Delivery.pending(Delivery.Target.CALLBACK, job.callbackUrl(), page));
        }

        @Override
        public void finished(OcrJob job) {
            finished.add(job);
        }
    }
}
