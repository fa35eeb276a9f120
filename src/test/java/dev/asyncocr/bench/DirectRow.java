package dev.asyncocr.bench;

import dev.asyncocr.eval.Benchmark;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.inference.Placement;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.ImageDecoder;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The synchronous baseline: the pipeline called directly, one image at a time, its model calls on all
 * the thread budget. Also divides the CPU time: the calling thread's CPU outside the model calls is the
 * pre- and post-processing (decode, resize, box finding, cropping, decoding the text); everything else
 * the process burnt is the models'.
 *
 * <pre>DirectRow ROUNDS THREADS DETECTION_SIZE FOLDER...</pre>
 */
public final class DirectRow {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DirectRow() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        DetectionSize detection = DetectionSize.parse(args[2]);
        List<byte[]> images = Benchmark.images(Arrays.stream(args, 3, args.length).map(Path::of).toList());
        AtomicLong modelCallerCpu = new AtomicLong();
        try (Models loaded = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(threads))) {
            Models models = new Models(cpuTimed(loaded.det(), modelCallerCpu), cpuTimed(loaded.cls(), modelCallerCpu),
                    cpuTimed(loaded.rec(), modelCallerCpu), loaded.dictionary(), loaded.source());
            OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(40_000_000L), detection);
            SequentialRow.run(images, rounds, new SequentialRow.Reader() {
                final long pid = ProcessHandle.current().pid();
                long callerCpu;
                double processCpuAtStart;

                @Override
                public void read(byte[] image) {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    pipeline.run(image, OcrOptions.ALL);
                    callerCpu += THREADS.getCurrentThreadCpuTime() - cpu;
                }

                @Override
                public void timingStarts() {
                    processCpuAtStart = ProcessStats.cpuSeconds(pid);
                    callerCpu = 0;
                    modelCallerCpu.set(0);
                }

                @Override
                public Map<String, Object> details() {
                    double processCpu = ProcessStats.cpuSeconds(pid) - processCpuAtStart;
                    double outside = (callerCpu - modelCallerCpu.get()) / 1e9;
                    return Map.of("cpu_s", Latencies.round(processCpu),
                            "pre_post_cpu_share", Math.round(outside / processCpu * 1000) / 1000.0);
                }
            });
        }
    }

    /** The same model, adding the calling thread's CPU time inside each call to {@code sink}. */
    private static Predictor cpuTimed(Predictor model, AtomicLong sink) {
        return new Predictor() {
            @Override
            public Tensor predict(Tensor input) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                try {
                    return model.predict(input);
                } finally {
                    sink.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
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
}
