package dev.asyncocr.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoadException;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.ModelStage;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the evaluation cases ({@code shared/eval/README.md} defines the format) through the OCR pipeline
 * and reports per set and overall: cases passed, mean CER, word recall, per-stage timings, and what
 * every failing case expected and got. Plain Java, no Quarkus: the models are loaded once here.
 *
 * <pre>
 * Evaluation [--json FILE] [--models DIR] [--model STAGE=PATH] [--device cpu|gpu] [--threads N] [--max-pixels N]
 *            [--det-size min:N|max:N|text:N] FOLDER...
 * </pre>
 * Each FOLDER is a case set (it holds {@code cases.json}) or a folder of case sets. The text report's
 * last line is {@code N passed, M failed}. Exit status: 0 when every case passed, 1 when one failed,
 * 2 when the evaluation could not run (bad arguments, a malformed case file, models that do not load).
 */
public final class Evaluation {

    /** The pipeline call under evaluation; {@link OcrPipeline#run} in production, a fake in tests. */
    @FunctionalInterface
    public interface Ocr {
        OcrResult run(byte[] encodedImage, OcrOptions options);
    }

    public static final int EXIT_PASSED = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_UNUSABLE = 2;

    /** The service's default pixel limit ({@code ocr.api.max-pixels}). */
    static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    private static final String USAGE = """
            Usage: Evaluation [--json FILE] [--models DIR] [--model STAGE=PATH] [--device cpu|gpu] [--threads N]
                              [--max-pixels N] [--det-size min:N|max:N|text:N] FOLDER...
              FOLDER          a case set (a folder with cases.json) or a folder of case sets
              --json FILE     also write the report as JSON to FILE
              --models DIR    det, cls, rec (each <stage>.onnx or a Paddle folder <stage>/) and dict.txt
                              replacing the bundled models
              --model S=PATH  one stage's model (det, cls, rec): an ONNX file or a Paddle Inference folder
              --device D      cpu (default) or gpu (needs the -Pgpu build; falls back to cpu with a warning)
              --threads N     intra-op threads per inference call (default 0: the engine decides)
              --max-pixels N  the decoder's pixel limit (default 40000000)
              --det-size S    the detector's page scaling, as ocr.detection.size (default text:32)
            Exit status: 0 every case passed, 1 some case failed, 2 the evaluation could not run.""";

    private Evaluation() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** {@link #main} without exiting: returns the exit status. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return EXIT_UNUSABLE;
        }
        if (arguments.help()) {
            out.println(USAGE);
            return EXIT_PASSED;
        }
        try {
            List<CaseSet> sets = discover(arguments.folders());
            EvalReport report;
            long start = System.nanoTime();
            try (Models models = ModelLoader.load(arguments.models(), arguments.engine())) {
                err.printf("Loaded %s on %s in %d ms%n", models.source(), models.device(),
                        (System.nanoTime() - start) / 1_000_000);
                OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(arguments.maxPixels()),
                        arguments.detection());
                report = runSets(pipeline::run, sets, c -> err.println(ReportWriter.progressLine(c)));
            }
            out.print(ReportWriter.text(report));
            out.flush();
            if (arguments.json() != null) {
                writeJson(report, arguments.json());
            }
            return report.overall().failed() == 0 ? EXIT_PASSED : EXIT_FAILED;
        } catch (CaseSetException | ModelLoadException e) {
            err.println("Cannot evaluate: " + e.getMessage());
            return EXIT_UNUSABLE;
        } catch (IOException e) {
            err.println("Cannot write the JSON report: " + e.getMessage());
            return EXIT_UNUSABLE;
        }
    }

    /** Runs every case found under the folders through the pipeline. */
    public static EvalReport run(OcrPipeline pipeline, List<Path> folders) {
        return run(pipeline::run, folders);
    }

    /**
     * Runs every case found under the folders.
     *
     * @throws CaseSetException when a folder holds no case set or a case file is malformed; nothing runs then
     */
    public static EvalReport run(Ocr ocr, List<Path> folders) {
        return runSets(ocr, discover(folders), c -> {
        });
    }

    static List<CaseSet> discover(List<Path> folders) {
        if (folders.isEmpty()) {
            throw new CaseSetException("no folder given: expected case sets or folders of case sets");
        }
        List<CaseSet> sets = new ArrayList<>();
        for (Path folder : folders) {
            sets.addAll(CaseSet.discover(folder));
        }
        return sets;
    }

    static EvalReport runSets(Ocr ocr, List<CaseSet> sets, Consumer<CaseResult> progress) {
        List<SetReport> reports = new ArrayList<>();
        for (CaseSet set : sets) {
            List<CaseResult> results = new ArrayList<>();
            for (EvalCase c : set.cases()) {
                CaseResult result = runCase(ocr, set, c);
                progress.accept(result);
                results.add(result);
            }
            reports.add(new SetReport(set.name(), set.folder().toString(), set.source(), results,
                    Summary.of(results)));
        }
        return EvalReport.of(reports);
    }

    /** Runs one case; a pipeline that throws fails the case with the exception as its error. */
    static CaseResult runCase(Ocr ocr, CaseSet set, EvalCase c) {
        long start = System.nanoTime();
        OcrResult result;
        try {
            byte[] image = Files.readAllBytes(set.folder().resolve(c.file()));
            result = ocr.run(image, c.options());
        } catch (IOException e) {
            return failed(set, c, "cannot read the image: " + e, start);
        } catch (ImageRejectedException e) {
            return failed(set, c, "image rejected (" + e.reason() + "): " + e.getMessage(), start);
        } catch (RuntimeException e) {
            return failed(set, c, "the pipeline threw " + e, start);
        }
        double wallMs = (System.nanoTime() - start) / 1e6;
        if (result == null) {
            return failed(set, c, "the pipeline returned no result", start);
        }
        CaseVerdict verdict = CaseCheck.evaluate(c.expect(), c.compare(), result);
        List<ResultLine> lines = result.lines().stream().map(ResultLine::of).toList();
        return new CaseResult(set.name(), c.file(), c.mode(), c.compare(), c.note(), verdict.passed(), null,
                verdict.checks(), verdict.cer(), verdict.wordRecall(), lines.size(), lines, result.timingsMs(),
                wallMs);
    }

    private static CaseResult failed(CaseSet set, EvalCase c, String error, long start) {
        return new CaseResult(set.name(), c.file(), c.mode(), c.compare(), c.note(), false, error, List.of(),
                null, null, null, List.of(), Map.of(), (System.nanoTime() - start) / 1e6);
    }

    /** Writes the report as indented JSON, creating the file's folder. */
    public static void writeJson(EvalReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
    }

    record Arguments(List<Path> folders, Path json, ModelLocations models, EngineOptions engine, long maxPixels,
                     DetectionSize detection, boolean help) {

        static Arguments parse(String[] args) {
            List<Path> folders = new ArrayList<>();
            Path json = null;
            ModelLocations models = ModelLocations.bundled();
            Device device = Device.CPU;
            int threads = 0;
            long maxPixels = DEFAULT_MAX_PIXELS;
            DetectionSize detection = DetectionSize.DEFAULT;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        return new Arguments(List.of(), null, ModelLocations.bundled(), EngineOptions.cpu(0),
                                DEFAULT_MAX_PIXELS, DetectionSize.DEFAULT, true);
                    }
                    case "--json" -> json = Path.of(value(args, ++i, arg));
                    case "--models" -> models = new ModelLocations(Optional.of(Path.of(value(args, ++i, arg))),
                            models.models(), models.dictionary());
                    case "--model" -> models = model(models, value(args, ++i, arg));
                    case "--device" -> device = device(value(args, ++i, arg));
                    case "--threads" -> threads = (int) number(value(args, ++i, arg), arg);
                    case "--max-pixels" -> maxPixels = number(value(args, ++i, arg), arg);
                    case "--det-size" -> detection = DetectionSize.parse(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        if (!arg.isBlank()) {
                            folders.add(Path.of(arg));
                        }
                    }
                }
            }
            if (folders.isEmpty()) {
                throw new IllegalArgumentException("no folder given");
            }
            return new Arguments(List.copyOf(folders), json, models, EngineOptions.cpu(threads).on(device), maxPixels,
                    detection, false);
        }

        private static ModelLocations model(ModelLocations models, String value) {
            int equals = value.indexOf('=');
            String stage = equals < 0 ? "" : value.substring(0, equals);
            for (ModelStage candidate : ModelStage.values()) {
                if (candidate.key().equals(stage)) {
                    return models.with(candidate, Path.of(value.substring(equals + 1)));
                }
            }
            throw new IllegalArgumentException("--model needs det=PATH, cls=PATH or rec=PATH, got " + value);
        }

        static Device device(String value) {
            try {
                return Device.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--device needs cpu or gpu, got " + value);
            }
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static long number(String value, String option) {
            try {
                long n = Long.parseLong(value);
                boolean threads = option.equals("--threads");
                if (threads ? n < 0 || n > Integer.MAX_VALUE : n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a " + (option.equals("--threads")
                        ? "whole number >= 0" : "whole number > 0") + ", got " + value);
            }
        }
    }
}
