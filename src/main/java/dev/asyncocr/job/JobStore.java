package dev.asyncocr.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where jobs and their images live until they expire (the claim check: images never travel through
 * the broker). Implementations are shared by every replica that points at the same backend, and every
 * method is atomic on its own.
 */
public interface JobStore {

    /**
     * Stores a new queued job and its image, both expiring after the store's TTL. When the job carries
     * an idempotency key that another live job already holds, nothing is stored and that job is returned.
     *
     * @return the job now holding the key: {@code job} itself, or the earlier one
     */
    default OcrJob create(OcrJob job, byte[] image) {
        return create(job, image, OptionalLong.empty());
    }

    /**
     * {@link #create(OcrJob, byte[])} within a quota: when the job's tenant already has {@link #activeWork} such
     * that the job's {@link OcrJob#workUnits} would take it past {@code maxActive}, nothing is stored, atomically
     * with respect to every other creation on any replica.
     *
     * @param maxActive the most work units the tenant may have queued or running; empty for no bound
     * @throws TenantQuotaExceededException the quota has no room for the job
     */
    OcrJob create(OcrJob job, byte[] image, OptionalLong maxActive);

    /**
     * The work units (pages; an image's job is one) of {@code tenant}'s live jobs that are not final: what its
     * quota bounds. A job's units count from its creation until it turns final, is deleted or expires.
     *
     * @param tenant the tenant, or null for the jobs submitted without one
     */
    long activeWork(String tenant);

    /**
     * Up to {@code limit} of {@code tenant}'s live jobs (null: those submitted without a tenant), newest first
     * ({@link JobCursor#NEWEST_FIRST}), those after {@code after} only (null: from the newest), in {@code status}
     * only (null: any).
     */
    List<OcrJob> list(String tenant, JobStatus status, JobCursor after, int limit);

    Optional<OcrJob> get(String id);

    /** The live job that holds an idempotency key. */
    Optional<String> idempotentJobId(String key);

    /** The job's image, until the job expires, or until it fails or is cancelled (see {@link #keepsImage}). */
    Optional<byte[]> image(String id);

    /**
     * Applies {@code change} if and only if the job as stored still satisfies {@code applies}, atomically
     * with respect to every other transition, on any replica: of two racing transitions from the same
     * state, exactly one wins. A job that becomes final is kept for the store's TTL from then on, its image
     * with it when {@link #keepsImage} says so; otherwise the image, no longer needed, goes in the same step
     * (so no failure between two calls can leave one without the other).
     */
    Transition transition(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change);

    /** {@link #transition(String, Predicate, UnaryOperator)} out of any of the statuses {@code from}. */
    default Transition transition(String id, Set<JobStatus> from, UnaryOperator<OcrJob> change) {
        return transition(id, job -> from.contains(job.status()), change);
    }

    /**
     * {@link #transition(String, Set, UnaryOperator)}, and the job's image as it is right after it, read in
     * the same step where the store can: what a worker starting a job needs.
     */
    default Start start(String id, Set<JobStatus> from, UnaryOperator<OcrJob> change) {
        Transition transition = transition(id, from, change);
        return new Start(transition, transition.applied() ? image(id) : Optional.empty());
    }

    /**
     * Whether a job that turned final keeps its image, or a document its parts, as long as its result: one that
     * succeeded, in whole or in part, does, as the searchable PDF draws them under the text; a failed or
     * cancelled one has no use for them.
     */
    static boolean keepsImage(OcrJob job) {
        return job.status() == JobStatus.SUCCEEDED || job.status() == JobStatus.PARTIALLY_SUCCEEDED;
    }

    // Documents: a job of page tasks. Each page has its own status and result; the job turns final once, by a
    // transition, when its last page is final. When a document job turns final, its pages are kept for the TTL
    // from then on, with the record, and its parts with them when {@link #keepsImage} says so, else they go.

    /**
     * {@link #create}, for a document job ({@code job.pagesTotal()} equal to the number of {@code parts}, in page
     * order): stores it with one queued {@link PageTask} per part and each page's part, in the same step.
     */
    default OcrJob createDocument(OcrJob job, List<PagePart> parts) {
        return createDocument(job, parts, OptionalLong.empty());
    }

    /** {@link #createDocument(OcrJob, List)} within a quota, as {@link #create(OcrJob, byte[], OptionalLong)}. */
    OcrJob createDocument(OcrJob job, List<PagePart> parts, OptionalLong maxActive);

    /** A document job's page tasks in page order, with their progress as of the same moment; empty once expired. */
    Optional<Pages> pages(String id);

    /** One page task of a document job; empty for a page the job does not have. */
    Optional<PageTask> page(String id, int page);

    /** A document job's progress; empty for an image's job, or once expired. */
    Optional<Progress> progress(String id);

    /**
     * The part a page task reads, until the job expires, or until it fails or is cancelled (see
     * {@link #keepsImage}).
     */
    Optional<byte[]> part(String id, int page);

    /**
     * {@link #transition} for one page task: applies {@code change} to page {@code page} if and only if the
     * page is not final (a final page never changes) and {@code applies} holds for the job and the page as
     * stored, atomically with respect to every transition of the job and of its pages, on any replica. The answer
     * carries the job's progress right after: of racing page transitions, exactly one sees the job's last page
     * turn final ({@link PageTransition#lastPage()}), whichever replica made it.
     */
    PageTransition transitionPage(String id, int page, BiPredicate<OcrJob, PageTask> applies,
                                  UnaryOperator<PageTask> change);

    /** Removes every trace of a job that was never accepted (its enqueue failed), idempotency key included. */
    void delete(String id);

    /**
     * Removes a job with everything it keeps (its image, a document's page tasks, parts and progress, its
     * idempotency key, pending deliveries and its places in the indexes) if and only if {@code applies} holds for
     * it as stored, in one step atomic with respect to every transition, on any replica: afterwards every read
     * finds nothing, as for a job never submitted.
     *
     * @return the job as it was, {@code applied} when it was removed; {@link Transition#MISSING} when there is none
     */
    Transition purge(String id, Predicate<OcrJob> applies);

    /** Jobs in status {@code queued}, exact across replicas: the autoscaling signal. */
    long queuedCount();

    /** Up to {@code limit} jobs with a delivery due at {@code now}, earliest first, on any replica. */
    List<String> dueDeliveries(Instant now, int limit);

    /**
     * Reserves {@code slots} consecutive places at the end of the global enqueue order, shared by every replica,
     * and answers the first; a job keeps it in {@link Schedule#sequence}. A job of one page takes one slot; a
     * document takes one per page, its n-th page task (in page order) at {@link Schedule#order} plus n - 1, so that
     * the queue counts its pages as the work they are.
     */
    long reserve(int slots);

    /**
     * Where a job stands, in one round trip: the place of its first task not yet started among all such tasks (an
     * image's queued job, a live document's queued pages) by their places in the order, its own such tasks, and
     * the measured service rate.
     */
    Standing standing(OcrJob job);

    /**
     * A task (an image's job or a document's page) completed at {@code at} after running for {@code ran}: smoothed
     * into the service rate, atomically with respect to every replica's completions.
     */
    void recordCompletion(Instant at, Duration ran);

    /** The measured service rate, or null before any task completed. */
    ServiceRate serviceRate();

    /**
     * The outcome of {@link #standing}.
     *
     * @param position 1-based: one more than the tasks not yet started that workers take before the job's first;
     *                 0 when none of the job's is waiting
     * @param tasks    the job's tasks not yet started: 1 for a queued image's job, a document's queued pages
     * @param rate     the measured service rate; null before any task completed
     */
    record Standing(long position, long tasks, ServiceRate rate) {
    }

    /**
     * The outcome of {@link #transition}.
     *
     * @param job     the job as stored after the call; null when there is no such job (unknown or expired)
     * @param applied whether {@code change} was applied
     */
    record Transition(OcrJob job, boolean applied) {

        public static final Transition MISSING = new Transition(null, false);
    }

    /** A document job's page tasks and its progress. */
    record Pages(List<PageTask> pages, Progress progress) {
    }

    /**
     * The outcome of {@link #transitionPage}.
     *
     * @param job      the job as stored; null when there is no such job (unknown or expired)
     * @param page     the page as stored after the call; null when the job has no such page
     * @param applied  whether {@code change} was applied
     * @param progress the job's progress right after the call; null when there is no such job
     */
    record PageTransition(OcrJob job, PageTask page, boolean applied, Progress progress) {

        public static final PageTransition MISSING = new PageTransition(null, null, false, null);

        /** Whether this call made the job's last pending page final: the one call that should finish the job. */
        public boolean lastPage() {
            return applied && page.status().isFinal() && progress.done();
        }
    }

    /**
     * The outcome of {@link #start}.
     *
     * @param image the job's image when the transition applied and the job still had one
     */
    record Start(Transition transition, Optional<byte[]> image) {
    }
}
