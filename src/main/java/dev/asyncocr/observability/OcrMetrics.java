package dev.asyncocr.observability;

import dev.asyncocr.inference.Models;
import dev.asyncocr.inference.Placement;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import dev.asyncocr.job.Delivery;
import dev.asyncocr.job.JobMetrics;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.ocr.OcrResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.asyncocr.config.AuthConfig;
import dev.asyncocr.config.TenantConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The service's metrics and their names (Prometheus adds {@code _total}, {@code _seconds}, {@code _bucket}):
 * jobs submitted and completed by outcome, document pages by outcome and pages per document, job and stage
 * durations as histograms, the time inside the
 * model sessions per call, the worker's batch sizes and completion-event deliveries by outcome. The queue
 * depth is in {@link QueueMetrics}; the worker pool registers its jobs in flight.
 */
@Singleton
public class OcrMetrics implements JobMetrics {

    static final String SUBMITTED = "ocr.jobs.submitted";
    static final String COMPLETED = "ocr.jobs.completed";
    static final String PAGES_COMPLETED = "ocr.pages.completed";
    static final String DOCUMENT_PAGES = "ocr.document.pages";
    static final String JOB_DURATION = "ocr.job.duration";
    static final String STAGE_DURATION = "ocr.stage.duration";
    static final String MODEL_INFERENCE = "ocr.model.inference";
    static final String MODEL_INFERENCE_CPU = "ocr.model.inference.cpu";
    static final String BATCH_SIZE = "ocr.batch.size";
    static final String CALLBACK_DELIVERIES = "ocr.callback.deliveries";
    static final String IN_FLIGHT = "ocr_jobs_in_flight";
    static final String TENANT = "tenant";
    /** The tenant label of jobs without a tenant (authentication off). */
    static final String ANONYMOUS = "anonymous";
    /** The tenant label of every tenant not named in the configuration, so that clients cannot add series. */
    static final String OTHER = "other";
    /**
     * The stages timed inside the pipeline, and a document page's rendering before it; {@code total} is the job's
     * own duration.
     */
    static final List<String> STAGES = List.of(OcrResult.RENDER, OcrResult.DECODE, OcrResult.DET, OcrResult.CLS,
            OcrResult.REC);

    /** How one send of a completion event ended. */
    public enum DeliveryOutcome {
        DELIVERED, RETRIED, FAILED
    }

    private final MeterRegistry registry;
    /** The tenants the label names; the others are {@link #OTHER}. */
    private final Set<String> tenants;
    private final Timer jobDuration;
    private final DistributionSummary batchSize;
    private final DistributionSummary documentPages;

    /** The tenants named: those of the API keys, and {@code ocr.tenant.metric-tenants} (for those of JWTs). */
    @Inject
    public OcrMetrics(MeterRegistry registry, AuthConfig auth, TenantConfig tenantConfig) {
        this(registry, TenantConfig.named(auth, tenantConfig));
    }

    /** @param tenants the tenants the {@code tenant} label names */
    public OcrMetrics(MeterRegistry registry, Set<String> tenants) {
        this.registry = registry;
        this.tenants = Set.copyOf(tenants);
        this.jobDuration = Timer.builder(JOB_DURATION).description("From submission to the job's outcome")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        this.batchSize = DistributionSummary.builder(BATCH_SIZE).description("Jobs the worker ran together")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(64.0)
                .register(registry);
        this.documentPages = DistributionSummary.builder(DOCUMENT_PAGES)
                .description("Pages of the document jobs that reached an outcome").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(1000.0).register(registry);
        pageCompleted(JobStatus.SUCCEEDED);
        pageCompleted(JobStatus.FAILED);
        List<String> labels = Stream.concat(this.tenants.stream(), Stream.of(ANONYMOUS, OTHER)).toList();
        for (String tenant : labels) { // at zero from the start, so that rates and alerts see the series
            submitted(tenant);
            for (JobStatus status : JobStatus.values()) {
                if (status.isFinal()) {
                    completed(status, tenant);
                }
            }
        }
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            for (Delivery.Target target : Delivery.Target.values()) {
                delivery(target, outcome);
            }
        }
        STAGES.forEach(this::stage);
    }

    /** The gauge of jobs this replica runs now, read from {@code running} at each scrape. */
    public void inFlight(Supplier<Number> running) {
        Gauge.builder(IN_FLIGHT, running).description("Jobs this replica is running now").register(registry);
    }

    @Override
    public void submitted(OcrJob job) {
        submitted(tenantLabel(job)).increment();
    }

    @Override
    public void completed(OcrJob job) {
        completed(job.status(), tenantLabel(job)).increment();
        if (job.isDocument()) {
            documentPages.record(job.pagesTotal());
        }
        if (job.status() == JobStatus.CANCELLED || job.status() == JobStatus.EXPIRED || job.finishedAt() == null) {
            return; // a job that never ran to its end says nothing about how long recognition takes
        }
        jobDuration.record(Duration.between(job.submittedAt(), job.finishedAt()));
        stages(job.result()); // a document's are its pages'
    }

    @Override
    public void pageCompleted(PageTask page) {
        pageCompleted(page.status()).increment();
        stages(page.result());
    }

    /** Each stage's time in a result; nothing for a job or page that failed. */
    private void stages(OcrResult result) {
        if (result != null) {
            result.timingsMs().forEach((stage, millis) -> {
                if (STAGES.contains(stage)) {
                    stage(stage).record(Duration.ofNanos(Math.round(millis * 1_000_000)));
                }
            });
        }
    }

    /**
     * The same models, each call timed as {@code ocr_model_inference_seconds{stage}}, and the calling
     * thread's CPU time in it counted as {@code ocr_model_inference_cpu_seconds_total{stage}}: set beside the
     * process's CPU time, that tells how much of the work is the models' and how much is around them (the
     * whole of the models' with one intra-op thread, which runs on the caller; more spread beyond it).
     */
    public Models timed(Models models) {
        return new Models(timed(models.det(), "det"), timed(models.cls(), "cls"), timed(models.rec(), "rec"),
                models.dictionary(), models.source());
    }

    private Predictor timed(Predictor model, String stage) {
        Timer calls = Timer.builder(MODEL_INFERENCE).description("Time in one call of a model session")
                .tag("stage", stage).register(registry);
        Counter cpu = Counter.builder(MODEL_INFERENCE_CPU).baseUnit("seconds")
                .description("CPU time of the calling threads inside the model sessions").tag("stage", stage)
                .register(registry);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return new Predictor() {
            @Override
            public Tensor predict(Tensor input) {
                long start = threads.getCurrentThreadCpuTime();
                try {
                    return calls.record(() -> model.predict(input));
                } finally {
                    cpu.increment((threads.getCurrentThreadCpuTime() - start) / 1e9);
                }
            }

            @Override
            public Placement placement() {
                return model.placement();
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    /** The worker ran {@code jobs} jobs together. */
    public void batch(int jobs) {
        batchSize.record(jobs);
    }

    /** One send of a completion event ended so. */
    public void delivered(Delivery.Target target, DeliveryOutcome outcome) {
        delivery(target, outcome).increment();
    }

    /** The job's tenant as the label names it: bounded by the configuration, never by what clients send. */
    private String tenantLabel(OcrJob job) {
        return job.tenant() == null ? ANONYMOUS : tenants.contains(job.tenant()) ? job.tenant() : OTHER;
    }

    private Counter submitted(String tenant) {
        return Counter.builder(SUBMITTED).description("Jobs accepted and queued").tag(TENANT, tenant)
                .register(registry);
    }

    private Counter completed(JobStatus status, String tenant) {
        return Counter.builder(COMPLETED).description("Jobs that reached an outcome in this replica")
                .tag("outcome", status.name().toLowerCase(Locale.ROOT)).tag(TENANT, tenant).register(registry);
    }

    private Counter pageCompleted(JobStatus status) {
        return Counter.builder(PAGES_COMPLETED).description("Document pages that reached an outcome in this replica")
                .tag("outcome", status.wireName()).register(registry);
    }

    private Counter delivery(Delivery.Target target, DeliveryOutcome outcome) {
        return Counter.builder(CALLBACK_DELIVERIES).description("Sends of completion events, by how they ended")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).tag("target", target.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private Timer stage(String stage) {
        return Timer.builder(STAGE_DURATION).description("Time in one pipeline stage of a job")
                .tag("stage", stage).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }
}
