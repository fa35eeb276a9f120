package dev.asyncocr.worker;

import dev.asyncocr.config.EngineConfig;
import dev.asyncocr.config.ModelsConfig;
import dev.asyncocr.config.WorkerConfig;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.Models;
import dev.asyncocr.inference.Placement;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: the real models, each predictor wrapped to measure how many inferences run at once
 * across all three, which is what {@code ocr.worker.concurrency} bounds.
 */
@Alternative
@Singleton
public class ProbedModels {

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    @Produces
    @Singleton
    Models models(ModelsConfig modelsConfig, EngineConfig engineConfig, WorkerConfig workerConfig) {
        Models real = ModelLoader.load(modelsConfig.locations(), engineConfig.options(workerConfig.concurrency()));
        return new Models(probe(real.det()), probe(real.cls()), probe(real.rec()), real.dictionary(), real.source());
    }

    /** The most inferences that ever ran at once since the last {@link #reset()}. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    public void reset() {
        mostAtOnce.set(running.get());
    }

    private Predictor probe(Predictor predictor) {
        return new Predictor() {
            @Override
            public Tensor predict(Tensor input) {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    return predictor.predict(input);
                } finally {
                    running.decrementAndGet();
                }
            }

            @Override
            public Placement placement() {
                return predictor.placement();
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }
}
