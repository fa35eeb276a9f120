package dev.asyncocr.bench;

import dev.asyncocr.eval.Benchmark;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.observability.OcrMetrics;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synchronous baseline: the pipeline called directly, one image at a time, its model calls on all
 * the thread budget. Also divides the CPU time: the calling thread's CPU outside the model calls (counted
 * as the service counts them, {@link OcrMetrics#timed}) is the pre- and post-processing (decode, resize,
 * box finding, cropping, decoding the text); everything else the process burnt is the models'.
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
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Models models = new OcrMetrics(registry, Set.of()).timed(ModelLoader.load(ModelLocations.bundled(),
                EngineOptions.cpu(threads)))) {
            OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(40_000_000L), detection);
            SequentialRow.run(images, rounds, new SequentialRow.Reader() {
                final long pid = ProcessHandle.current().pid();
                long callerCpu;
                double processCpuAtStart;
                double modelCpuAtStart;

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
                    modelCpuAtStart = modelCpu(registry);
                }

                @Override
                public Map<String, Object> details() {
                    double processCpu = ProcessStats.cpuSeconds(pid) - processCpuAtStart;
                    double outside = callerCpu / 1e9 - (modelCpu(registry) - modelCpuAtStart);
                    return Map.of("cpu_s", Latencies.round(processCpu),
                            "pre_post_cpu_share", Math.round(outside / processCpu * 1000) / 1000.0);
                }
            });
        }
    }

    /** CPU seconds of the calling threads inside the model calls so far, as the service counts them. */
    private static double modelCpu(MeterRegistry registry) {
        return registry.find("ocr.model.inference.cpu").counters().stream().mapToDouble(Counter::count).sum();
    }
}
