package dev.asyncocr.worker;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.config.DetectionConfig;
import dev.asyncocr.config.EngineConfig;
import dev.asyncocr.config.ModelsConfig;
import dev.asyncocr.config.RecognitionConfig;
import dev.asyncocr.config.RoleConfig;
import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.Models;
import dev.asyncocr.job.JobService;
import dev.asyncocr.observability.OcrMetrics;
import dev.asyncocr.ocr.OcrPipeline;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Loads the models once at start-up, in the roles that run inference (a failure stops start-up), and
 * shares one pipeline. An {@code api} replica never creates them.
 */
@ApplicationScoped
public class PipelineProducer {

    static void loadModels(@Observes @Priority(10) StartupEvent event, RoleConfig config, Instance<Models> models) {
        if (config.role().runsWorkers()) {
            models.get().source();
        }
    }

    @Produces
    @Singleton
    Models models(ModelsConfig modelsConfig, EngineConfig engineConfig, WorkerConfig workerConfig,
            ImageDecoder decoder, DetectionConfig detection, RecognitionConfig recognition, OcrMetrics metrics,
            Instance<JobService> jobs) {
        long start = System.nanoTime();
        EngineOptions engine = engineConfig.options(workerConfig.concurrency());
        Models models = ModelLoader.load(modelsConfig.locations(), engine);
        long loaded = System.nanoTime();
        // before the singleton exists, so that readiness (ModelsHealthCheck) stays DOWN until it is done
        new OcrPipeline(models, decoder, detection.tuning(recognition)).warmUp();
        Log.infof("Loaded %s on %s in %d ms, warmed up in %d ms: %d inferences at once, %s intra-op threads each"
                        + " (%d cores), detection %s", models.source(), models.device(), (loaded - start) / 1_000_000,
                (System.nanoTime() - loaded) / 1_000_000, workerConfig.concurrency(),
                engine.intraOpThreads() == 0 ? "engine-default" : engine.intraOpThreads(),
                Runtime.getRuntime().availableProcessors(), detection.detectionSize());
        jobs.get().warmedUp(Duration.ofNanos(System.nanoTime() - loaded)); // the queue's estimates until jobs are measured
        return metrics.timed(models);
    }

    /**
     * Closing a native session while a worker is inside it crashes the JVM: when jobs outlived the
     * shutdown grace, the sessions are left to the process exit.
     */
    void close(@Disposes Models models, Instance<WorkerPool> workers) { // Instance: the pool needs the models
        int running = workers.get().inFlight();
        if (running > 0) {
            Log.warnf("%d inferences still running at shutdown; the models stay open until the process exits",
                    running);
            return;
        }
        models.close();
    }

    @Produces
    @Singleton
    OcrPipeline pipeline(Models models, ImageDecoder decoder, DetectionConfig detection,
            RecognitionConfig recognition) {
        return new OcrPipeline(models, decoder, detection.tuning(recognition));
    }

    /** Reads image headers for the API's checks before queueing, and decodes for the pipeline. */
    @Produces
    @Singleton
    ImageDecoder decoder(ApiConfig apiConfig) {
        return new ImageDecoder(apiConfig.maxPixels());
    }

    @Produces
    @Singleton
    JobService.Recognizer recognizer(OcrPipeline pipeline, WorkerConfig config, OcrMetrics metrics,
            Instance<WorkerPool> workers) { // Instance: the pool needs the recognizer
        if (config.maxBatch() < 1 || config.maxBatch() > config.concurrency()) {
            throw new IllegalStateException("ocr.worker.max-batch is " + config.maxBatch() + ": it must be 1 to "
                    + "ocr.worker.concurrency (" + config.concurrency() + "), as a batch gathers the jobs that run at once");
        }
        return new BatchingRecognizer(pipeline::runAll, config.maxBatch(), Duration.ofMillis(config.maxWaitMs()),
                metrics::batch, () -> workers.get().inFlight());
    }
}
