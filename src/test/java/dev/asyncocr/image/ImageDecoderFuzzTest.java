package dev.asyncocr.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Coverage-guided fuzzing (Jazzer) of the pipeline's entry point for untrusted bytes: {@link ImageDecoder#decode}
 * (which reads the {@link ImageHeader} first). Whatever the bytes, it returns an 8-bit BGR image within the
 * pixel limit or throws {@link ImageRejectedException} with a message; any other exception is a finding, and
 * so is an input that takes longer than {@value #INPUT_TIMEOUT_S} s to fuzz (libFuzzer's {@code -timeout}; not
 * JUnit's {@code @Timeout}, which would also bound the agent's start-up and the whole fuzzing run).
 * <p>
 * In every {@code mvn test}/{@code verify}:
 * <ul>
 *   <li>{@link #decodeReturnsAnImageOrRejects} runs in Jazzer's regression mode: the seeds below and every
 *       input under {@code src/test/resources/dev/asyncocr/image/ImageDecoderFuzzTestInputs/decodeReturnsAnImageOrRejects/}
 *       (where the crashes found so far are kept, and where new ones are written);</li>
 *   <li>{@link #fuzzesForABoundedTime} fuzzes it for real for {@code jazzer.max_duration} (default
 *       {@value #DEFAULT_DURATION}) in a child JVM, since fuzzing mode instruments and hooks the JVM it runs in
 *       and libFuzzer owns it until the end; the generated corpus goes to {@code <build dir>/jazzer-corpus}, so
 *       later runs start from what earlier ones found.</li>
 * </ul>
 * Longer fuzzing by hand: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=ImageDecoderFuzzTest -Djazzer.max_duration=10m}
 * fuzzes in the test JVM itself (the child run is then skipped).
 */
class ImageDecoderFuzzTest {

    static final String DEFAULT_DURATION = "30s";
    static final int INPUT_TIMEOUT_S = 10;
    /** A low limit keeps every execution cheap; the contract is the same at any limit. */
    private static final long MAX_PIXELS = 1 << 22;
    private static final ImageDecoder DECODER = new ImageDecoder(MAX_PIXELS);

    static {
        Loader.load(opencv_imgcodecs.class); // once, before the first input is timed
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = DEFAULT_DURATION)
    void decodeReturnsAnImageOrRejects(byte[] input) {
        long start = System.nanoTime();
        try (Mat image = DECODER.decode(input)) {
            assertEquals(CV_8UC3, image.type(), "decoded type");
            assertTrue(image.cols() > 0 && image.rows() > 0, "decoded to an empty image");
            assertTrue((long) image.cols() * image.rows() <= MAX_PIXELS, "decoded past the pixel limit");
        } catch (ImageRejectedException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "rejection without a message");
        }
        // libFuzzer's -timeout stops a hang while fuzzing; this catches a slow input among the regression inputs
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < INPUT_TIMEOUT_S * 1000L, "decoding took " + millis + " ms");
    }

    /** One small image of each format read, and of the variants the decoder converts: where mutations start. */
    static Stream<Arguments> seeds() {
        List<byte[]> seeds = new ArrayList<>(Images.validSamples());
        seeds.add(Images.sample(6, 5, CV_8UC4, ".png"));
        seeds.add(Images.sample(6, 5, CV_8UC1, ".jpg"));
        seeds.add(Images.sample(6, 5, CV_8UC3, ".ppm"));
        seeds.add(Images.sample(6, 5, CV_8UC4, ".tiff"));
        try (Mat deep = new Mat(3, 4, CV_16UC1)) {
            seeds.add(Images.encode(deep, ".png"));
        }
        seeds.add(Images.withExif(Images.sample(5, 7, CV_8UC3, ".jpg"), Images.exif(true, 8)));
        return seeds.stream().map(seed -> Arguments.of((Object) seed));
    }

    /** A bounded fuzzing run of {@link #decodeReturnsAnImageOrRejects} in a child JVM; fails on any finding. */
    @Test
    void fuzzesForABoundedTime() throws IOException, InterruptedException {
        assumeTrue(System.getenv("JAZZER_FUZZ") == null && System.getProperty("JAZZER_FUZZ") == null,
                "JAZZER_FUZZ is set: the fuzz test fuzzes in this JVM");
        String duration = System.getProperty("jazzer.max_duration", DEFAULT_DURATION);
        Path buildDir = Paths.get(ImageDecoderFuzzTest.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).getParent(); // test-classes is in the build directory
        Path corpus = Files.createDirectories(buildDir.resolve("jazzer-corpus"));
        Path log = buildDir.resolve("jazzer-fuzz.log");
        Path argFile = buildDir.resolve("jazzer-fuzz.args");
        Files.write(argFile, List.of("-cp", quoted(System.getProperty("java.class.path"))), StandardCharsets.UTF_8);
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-DJAZZER_FUZZ=1", "-Djazzer.max_duration=" + duration, "@" + argFile,
                Child.class.getName(), corpus.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limit = durationSeconds(duration) + 180; // start-up, seeds, shutdown
        boolean ended = child.waitFor(limit, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String tail = output.substring(Math.max(0, output.length() - 6000));
        assertTrue(ended, () -> "fuzzing ran past " + limit + " s; log " + log + ":\n" + tail);
        assertEquals(0, child.exitValue(), () -> "fuzzing found a problem; log " + log + ":\n" + tail);
        assertTrue(output.contains("Done") || output.contains("#"), () -> "no fuzzing happened; log " + log + ":\n" + tail);
    }

    /** The child JVM: runs the fuzz test through the JUnit Platform in fuzzing mode, exits 0 when nothing was found. */
    static final class Child {
        public static void main(String[] args) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectMethod(ImageDecoderFuzzTest.class, "decodeReturnsAnImageOrRejects", byte[].class))
                    // first a stand-in argv[0], then the corpus directory libFuzzer grows (instead of .cifuzz-corpus)
                    .configurationParameter("jazzer.internal.arg.0", "fuzz")
                    .configurationParameter("jazzer.internal.arg.1", args[0])
                    .configurationParameter("jazzer.internal.arg.2", "-timeout=" + INPUT_TIMEOUT_S)
                    .build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();
            summary.printTo(new PrintWriter(System.out, true));
            summary.printFailuresTo(new PrintWriter(System.out, true), 50);
            boolean passed = summary.getTestsSucceededCount() > 0 && summary.getTotalFailureCount() == 0;
            System.exit(passed ? 0 : 1);
        }
    }

    private static long durationSeconds(String duration) {
        long value = Long.parseLong(duration.replaceAll("[^0-9]", ""));
        return switch (duration.replaceAll("[0-9]", "")) {
            case "m" -> value * 60;
            case "h" -> value * 3600;
            default -> value;
        };
    }

    private static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
