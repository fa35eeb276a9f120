package dev.asyncocr.api;

import dev.asyncocr.testing.Readiness;
import dev.asyncocr.testing.SharedData;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service as a restricted pod runs it: an unprivileged user (nobody) who can write only to
 * one fresh folder, its {@code HOME}, temp dir and data folder, and reads the application from a folder it cannot
 * write to, which is also its working directory. It must get ready and read an image: the native
 * libraries (ONNX Runtime, OpenCV's JavaCPP cache) extract themselves into that folder, as into the
 * pod's /tmp emptyDir. Needs root to switch user (CI runs as root; a chmod does not stop root itself).
 */
class ReadOnlyInstallIT {

    private static final String NOBODY = "65534";
    private static final Duration START_WITHIN = Duration.ofSeconds(120);
    private Process service;
    private Path root;

    @AfterEach
    void stop() throws IOException, InterruptedException {
        if (service != null) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        if (root != null) {
            run("rm", "-rf", root.toString());
        }
    }

    @Test
    void runsAsNobodyWithTheApplicationReadOnlyAndOnlyAFreshFolderWritable() throws Exception {
        if (!"0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip())) {
            SharedData.skipOutsideCi("switching to an unprivileged user needs root");
        }
        root = Files.setPosixFilePermissions(Files.createTempDirectory("async-ocr-readonly"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        Path app = root.resolve("app");
        // owned by root: readable, not writable, to nobody
        copy(Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar")).getParent(), app);
        Path writable = Files.createDirectory(root.resolve("writable"));
        run("chown", NOBODY + ":" + NOBODY, writable.toString());
        Path log = root.resolve("service.log");
        int port = 18311;

        // the same settings as Dockerfile.jvm's, with the fresh folder in place of /tmp and of the /data volume
        ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", ProcessHandle.current().info().command().orElse("java"),
                "-Djava.io.tmpdir=" + writable, "-Dorg.bytedeco.javacpp.cachedir=" + writable.resolve("javacpp"),
                "-jar", app.resolve("quarkus-run.jar").toString())
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOME", writable.toString());
        builder.environment().put("DJL_CACHE_DIR", writable.resolve("djl").toString());
        builder.environment().put("OCR_DATA_DIR", writable.resolve("data").toString());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        service = builder.start();
        RestAssured.port = port;
        Readiness.awaitReady("the service run as nobody", service, START_WITHIN,
                () -> given().when().get("/q/health/ready").statusCode() == 200, () -> Files.readString(log));

        given().contentType("image/png").body(TestImages.page("NOBODY 42").bytes()).when().post("/ocr?cls=false")
                .then().statusCode(200).body("text", containsString("NOBODY 42"));
        assertFalse(Files.readString(log).contains("ERROR"), Files.readString(log));
        try (Stream<Path> cache = Files.list(writable.resolve("javacpp"))) {
            assertTrue(cache.findAny().isPresent(), "OpenCV's libraries were extracted into the writable folder");
        }
    }

    private static void copy(Path from, Path to) throws IOException, InterruptedException {
        run("cp", "-r", from.toAbsolutePath().toString(), to.toString());
        run("chmod", "-R", "go=rX", to.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).inheritIO().start();
        if (process.waitFor() != 0) {
            fail(String.join(" ", command) + " failed");
        }
    }
}
