package dev.asyncocr.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of Dockerfile.jvm without a Docker engine, after {@code mvn package}: every file
 * it copies from the build exists and passes .dockerignore, and each runtime target is the base and
 * user it should be.
 */
class DockerfileIT {

    private static final Pattern COPY_FROM_BUILD = Pattern.compile("^COPY (target/\\S+) ", Pattern.MULTILINE);

    private final String dockerfile = read(Path.of("Dockerfile.jvm"));

    @Test
    void everyCopiedPathIsBuiltByPackageAndSentToTheBuild() throws IOException {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertEquals(List.of("*", "!target/quarkus-app/"), ignore, "only the packaged application goes to the build");
        Matcher copy = COPY_FROM_BUILD.matcher(dockerfile);
        List<String> copied = new ArrayList<>();
        while (copy.find()) {
            copied.add(copy.group(1));
        }
        assertEquals(4, copied.size(), copied.toString());
        for (String source : copied) {
            assertTrue(source.startsWith("target/quarkus-app/"), source);
            Path path = Path.of(source.replace("*.jar", "quarkus-run.jar"));
            assertTrue(Files.exists(path), source + " is not built by mvn package");
        }
    }

    @Test
    void theGpuTargetIsTheDefaultAndBothRunAsANonRootUserOnPort8080() {
        List<String> stages = stages();
        String gpu = stages.get(stages.size() - 1);
        assertTrue(gpu.matches("(?s)FROM nvidia/cuda:12\\.[0-9.]+-cudnn-runtime-ubuntu[0-9.]+ AS gpu\\n.*"), gpu);
        assertTrue(gpu.contains("OCR_ENGINE_DEVICE=gpu"), gpu);
        String cpu = stages.stream().filter(s -> s.contains(" AS cpu\n")).findFirst().orElseThrow();
        assertFalse(cpu.contains("OCR_ENGINE_DEVICE"), cpu);
        for (String runtime : List.of(cpu, gpu)) {
            assertTrue(runtime.contains("\nUSER 185\n") && runtime.contains("\nEXPOSE 8080\n"), runtime);
            assertTrue(runtime.contains("java $JAVA_OPTS -jar /deployments/quarkus-run.jar"), runtime);
        }
    }

    /** The build stages, each from its FROM line. */
    private List<String> stages() {
        List<String> stages = new ArrayList<>();
        for (String part : dockerfile.split("(?m)^(?=FROM )")) {
            if (part.startsWith("FROM ")) {
                stages.add(part);
            }
        }
        return stages;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
