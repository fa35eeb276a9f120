package dev.asyncocr.job;

import dev.asyncocr.api.JobWaiter;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.image.PageRenderer;
import dev.asyncocr.job.JobService.Outcome;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.store.InMemoryJobStore;
import dev.asyncocr.testing.MutableClock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle rules on the real in-memory store. The queue here only records what it is given: the
 * broker adapters have their own tests against real brokers.
 */
class JobServiceTest {

    private static final byte[] IMAGE = {1, 2, 3};
    private static final OcrResult RESULT = new OcrResult(1, 1, List.of(), Map.of("total", 1.0));
    private static final PageRenderer RENDERER = new PageRenderer(40_000_000);

    private final MutableClock clock = new MutableClock();
    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofHours(1), clock);
    private final RecordingQueue queue = new RecordingQueue();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final JobWaiter waiter = new JobWaiter(store);
    private final JobService service = new JobService(store, queue, notifier, metrics, waiter, RENDERER, 3, 2, clock);

    @Test
    void submitStoresTheImageAndQueuesOnlyTheId() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://example.test/cb", null, null);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(List.of(new JobMessage(job.id(), 1, OcrOptions.ALL)), queue.messages);
        assertTrue(store.image(job.id()).isPresent());
        assertEquals("http://example.test/cb", service.find(job.id()).orElseThrow().callbackUrl());
    }

    @Test
    void theSameIdempotencyKeyAndImageGiveTheFirstJob() {
        OcrJob first = service.submit(IMAGE, OcrOptions.ALL, null, "k", null);
        OcrJob again = service.submit(IMAGE, OcrOptions.ALL, null, "k", null);
        assertEquals(first.id(), again.id());
        JobMessage message = new JobMessage(first.id(), 1, OcrOptions.ALL);
        assertEquals(List.of(message, message), queue.messages,
                "a retry of a job still queued queues it again: the first submission may have died before queueing");
        assertEquals(Outcome.DONE, service.process(message, (image, options) -> RESULT));
        assertEquals(first.id(), service.submit(IMAGE, OcrOptions.ALL, null, "k", null).id());
        assertEquals(2, queue.messages.size(), "nothing queued again for a finished job");
        assertThrows(IdempotencyKeyReusedException.class, () -> service.submit(new byte[]{9}, OcrOptions.ALL, null, "k", null));
    }

    @Test
    void theSameKeyWithOtherOptionsOrCallbackIsAReuse() {
        OcrJob first = service.submit(IMAGE, new OcrOptions(true, false, true), null, "k", null);
        IdempotencyKeyReusedException reuse = assertThrows(IdempotencyKeyReusedException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, "k", null));
        assertEquals(first.id(), reuse.requestId());
        assertThrows(IdempotencyKeyReusedException.class, () -> service.submit(IMAGE, new OcrOptions(true, false, true),
                "http://example.test/cb", "k", null));
        assertEquals(first.id(), service.submit(IMAGE, new OcrOptions(true, false, true), null, "k", null).id());
    }

    @Test
    void aRetryOfAFinishedJobAnswersItAsItIs() {
        OcrJob first = service.submit(IMAGE, OcrOptions.ALL, null, "k", null);
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, service.submit(IMAGE, OcrOptions.ALL, null, "k", null).status());
        assertEquals(1, queue.messages.size());
        assertEquals(first.id(), queue.last().requestId());
    }

    @Test
    void aJobStoredButNeverQueuedIsQueuedByItsRetry() {
        // the fault: the broker refuses the message and the store fails to take the job back
        JobService faulty = new JobService(new InMemoryJobStore(Duration.ofHours(1), clock) {
            @Override
            public void delete(String id) {
                throw new StoreUnavailableException("store down", null);
            }
        }, queue, notifier, metrics, waiter, RENDERER, 3, 2, clock);
        queue.down = true;
        assertThrows(StoreUnavailableException.class, () -> faulty.submit(IMAGE, OcrOptions.ALL, null, "k", null));
        queue.down = false;
        OcrJob retried = faulty.submit(IMAGE, OcrOptions.ALL, null, "k", null);
        assertEquals(List.of(new JobMessage(retried.id(), 1, OcrOptions.ALL)), queue.messages,
                "the retry queues the job that its first submission stored but could not queue");
        assertEquals(Outcome.DONE, faulty.process(queue.last(), (image, options) -> RESULT));
        assertEquals(JobStatus.SUCCEEDED, faulty.find(retried.id()).orElseThrow().status());
        faulty.submit(IMAGE, OcrOptions.ALL, null, "k", null);
        assertEquals(1, queue.messages.size(), "a finished job is not queued again");
    }

    @Test
    void aFullQueueRefusesNewJobs() {
        for (int i = 0; i < 3; i++) {
            service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        }
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, null, null));
        assertTrue(e.full());
    }

    @Test
    void aJobTheBrokerDidNotTakeLeavesNoTrace() {
        queue.down = true;
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, null, "k", null));
        assertFalse(e.full());
        assertEquals(0, store.queuedCount());
        assertTrue(store.idempotentJobId("k").isEmpty());
    }

    @Test
    void processingStoresTheResultAndDropsTheImage() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        clock.advance(Duration.ofMillis(5));
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> RESULT));
        OcrJob done = service.find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(RESULT, done.result());
        assertEquals(1, done.attempts());
        assertEquals(job.submittedAt().plusMillis(5), done.startedAt());
        assertTrue(store.image(job.id()).isEmpty());
    }

    @Test
    void aRedeliveredFinishedJobDoesNotRunAgain() {
        service.submit(IMAGE, OcrOptions.ALL, null, null, null);
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
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        assertEquals(Outcome.DONE, service.process(queue.last(), (image, options) -> {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "corrupt");
        }));
        OcrJob failed = service.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(new JobError(ErrorCode.IMAGE_UNDECODABLE, "corrupt", true), failed.error());
    }

    @Test
    void serviceFailuresAreRetriedThenDeadLettered() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        JobService.Recognizer broken = (image, options) -> {
            throw new IllegalStateException("device lost");
        };
        assertEquals(Outcome.RETRY, service.process(queue.last(), broken));
        assertEquals(JobStatus.QUEUED, service.find(job.id()).orElseThrow().status());
        assertEquals(Outcome.DEAD_LETTER, service.process(queue.last(), broken));
        OcrJob failed = service.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(2, failed.attempts());
        assertFalse(failed.error().inputFault());
        assertTrue(failed.error().message().contains("device lost"), failed.error().message());
        assertEquals(1, metrics.submitted.get());
        assertEquals(List.of(JobStatus.FAILED), metrics.completed, "a retry is not an outcome");
    }

    @Test
    void metricsHearOfEverySubmissionAndEachOutcomeOnce() {
        OcrJob done = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        service.process(queue.last(), (image, options) -> RESULT);
        service.process(queue.last(), (image, options) -> RESULT); // a redelivery
        OcrJob cancelled = service.submit(new byte[] {7}, OcrOptions.ALL, null, null, null);
        service.cancel(cancelled.id());
        service.cancel(cancelled.id());
        assertThrows(QueueUnavailableException.class, () -> {
            queue.down = true;
            service.submit(new byte[] {8}, OcrOptions.ALL, null, null, null);
        });
        assertEquals(2, metrics.submitted.get(), done.id() + " and " + cancelled.id());
        assertEquals(List.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED), metrics.completed);
    }

    @Test
    void aJobCancelledWhileRunningKeepsItsCancellation() throws Exception {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<Outcome> worker = CompletableFuture.supplyAsync(() -> service.process(queue.last(), (image, options) -> {
            running.countDown();
            await(cancelled);
            return RESULT;
        }));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        assertTrue(service.cancel(job.id()).applied());
        cancelled.countDown();
        assertEquals(Outcome.DONE, worker.get(5, TimeUnit.SECONDS));
        OcrJob after = service.find(job.id()).orElseThrow();
        assertEquals(JobStatus.CANCELLED, after.status());
        assertNull(after.result());
        assertFalse(service.cancel(job.id()).applied(), "a final job cannot be cancelled");
    }

    @Test
    void aWaiterWakesWhenTheServiceFinishesTheJob() throws Exception {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        CompletableFuture<OcrJob> waiting = CompletableFuture.supplyAsync(
                () -> waiter.awaitFinal(job.id(), Duration.ofSeconds(10)).await().indefinitely().orElseThrow());
        Awaitility.await().until(waiter::waiting, n -> n == 1);
        service.process(queue.last(), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, waiting.get(5, TimeUnit.SECONDS).status());
        assertEquals(0, waiter.waiting());
        OcrJob other = service.submit(IMAGE, OcrOptions.ALL, null, null, null);
        assertEquals(JobStatus.QUEUED, waiter.awaitFinal(other.id(), Duration.ofMillis(30)).await().indefinitely().orElseThrow().status(),
                "the timeout gives the job as it is");
        assertTrue(waiter.awaitFinal("no-such-job", Duration.ofSeconds(1)).await().indefinitely().isEmpty());
    }

    @Test
    void aFinishedJobIsStoredWithTheDeliveriesItOwesAndTheNotifierHearsOfIt() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null);
        service.process(queue.last(), (image, options) -> RESULT);
        OcrJob done = service.find(job.id()).orElseThrow();
        assertEquals(List.of(Delivery.pending(Delivery.Target.CALLBACK, "http://receiver.test/done",
                done.finishedAt())), done.deliveries(), "stored in the write that finished the job");
        assertEquals(List.of(done), notifier.finished);

        OcrJob failing = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null);
        service.process(queue.last(), (image, options) -> {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "corrupt");
        });
        assertEquals(1, service.find(failing.id()).orElseThrow().deliveries().size(), "a failed job notifies too");
    }

    @Test
    void aCancelledJobOwesNoEvent() {
        OcrJob job = service.submit(IMAGE, OcrOptions.ALL, "http://receiver.test/done", null, null);
        service.cancel(job.id());
        assertEquals(List.of(), service.find(job.id()).orElseThrow().deliveries());
        assertEquals(List.of(), notifier.finished);
    }

    @Test
    void aRefusedCallbackUrlStoresAndQueuesNothing() {
        assertThrows(CallbackUrlRefusedException.class,
                () -> service.submit(IMAGE, OcrOptions.ALL, RecordingNotifier.REFUSED, null, null));
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
        List<PagePart> parts = Arrays.stream(pages).mapToObj(p -> new PagePart(p, new byte[]{(byte) p}))
                .toList();
        return service.submitDocument(new byte[]{9}, parts, 200, OcrOptions.ALL, "http://example.test/cb", null,
                null);
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
        OcrJob finished = service.find(job.id()).orElseThrow();
        assertEquals(JobStatus.PARTIALLY_SUCCEEDED, finished.status());
        assertEquals(new Progress(2, 1, 0), finished.document().outcome());
        assertEquals(List.of(JobStatus.PARTIALLY_SUCCEEDED), metrics.completed, "finished once");
        assertEquals(1, notifier.finished.size(), "one completion event");
        assertEquals(ErrorCode.IMAGE_UNDECODABLE, service.page(job.id(), 2).orElseThrow().error().code());
        assertEquals(JobService.Outcome.DONE, service.process(queue.messages.get(0), (image, options) -> RESULT),
                "a redelivered page of a finished document does nothing");
        assertEquals(1, notifier.finished.size());
    }

    @Test
    void aRedeliveredLastPageFinishesADocumentWhoseWorkerStoppedBeforeTheJob() {
        OcrJob job = document(1);
        // the last page turned final, and the worker stopped before it could finish the job
        store.transitionPage(job.id(), 1, (j, p) -> true, p -> p.succeeded(RESULT, clock.instant()));
        assertEquals(JobStatus.QUEUED, service.find(job.id()).orElseThrow().status());
        service.process(queue.messages.get(0), (image, options) -> RESULT);
        assertEquals(JobStatus.SUCCEEDED, service.find(job.id()).orElseThrow().status());
        assertEquals(1, notifier.finished.size());
    }

    @Test
    void aBrokerFailingMidwayLeavesNoHalfQueuedDocument() {
        JobService failing = new JobService(store, new JobQueue() {
            private int sent;

            @Override
            public void enqueue(JobMessage message) {
                if (++sent == 2) {
                    throw new QueueUnavailableException("broker down", false, null);
                }
                queue.enqueue(message);
            }
        }, notifier, metrics, waiter, RENDERER, 3, 2, clock);
        assertThrows(QueueUnavailableException.class, () -> failing.submitDocument(new byte[]{9},
                List.of(new PagePart(1, new byte[]{1}), new PagePart(2, new byte[]{2})), 200, OcrOptions.ALL, null,
                null, null));
        String id = queue.messages.get(0).requestId();
        assertTrue(service.find(id).isEmpty(), "the job is gone");
        assertEquals(JobService.Outcome.DONE, service.process(queue.messages.get(0), (image, options) -> RESULT),
                "the page already queued finds no job and is acknowledged");
        assertEquals(0, store.queuedCount());
    }

    @Test
    void aMessageOfANewerFormatIsNotUnderstoodAndOneWithoutAVersionIs() {
        assertTrue(new JobMessage("id", 1, OcrOptions.ALL, null, 0).understood(), "format 1 had no version");
        assertTrue(JobMessage.page("id", OcrOptions.ALL, 1).understood());
        assertFalse(new JobMessage("id", 1, OcrOptions.ALL, 1, JobMessage.VERSION + 1).understood());
    }

    private static final class RecordingQueue implements JobQueue {
        final List<JobMessage> messages = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void enqueue(JobMessage message) {
            if (down) {
                throw new QueueUnavailableException("broker down", false, null);
            }
            messages.add(message);
        }

        JobMessage last() {
            return messages.get(messages.size() - 1);
        }
    }

    private static final class RecordingMetrics implements JobMetrics {
        final AtomicInteger submitted = new AtomicInteger();
        final List<JobStatus> completed = new CopyOnWriteArrayList<>();

        @Override
        public void submitted() {
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
        public void finished(OcrJob job) {
            finished.add(job);
        }
    }
}
