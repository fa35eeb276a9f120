package dev.asyncocr.api;

import dev.asyncocr.testing.TestDocuments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten clients upload a document of nearly 50 MiB ({@code ocr.document.max-bytes}) as the raw body to the embedded
 * service at once: the heap holds each upload less than twice (the array the resource reads, and while it is being
 * handed over the framework's buffer; PDFBox parses the array in place and keeps what it reads beyond its share in a
 * scratch file), never several copies. Prints what it measured.
 */
@QuarkusTest
class UploadHeapTest {

    private static final int CLIENTS = 10;
    /** Under the 50 MiB limit with the PDF around it. */
    private static final int ATTACHMENT_BYTES = 49 << 20;
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(300);

    @Test
    void tenLargeUploadsAtOnceAreEachHeldLessThanTwice() throws Exception {
        byte[] document = largeDocument();
        long total = (long) CLIENTS * document.length;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledHeap(memory);
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean uploading = new AtomicBoolean(true);
        // a full collection stops the service: back to back, they would starve the uploads past their idle timeout
        Thread sampler = new Thread(() -> {
            while (uploading.get()) {
                peak.accumulateAndGet(settledHeap(memory), Math::max);
                LockSupport.parkNanos(SAMPLE_EVERY.toNanos());
            }
        });
        sampler.start();
        // the JDK client sends from the one array, so the test adds no copies of its own to the heap it measures
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest upload = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/ocr/async?pages=1&det=false"))
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(document))
                .build();
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, CLIENTS)
                .mapToObj(i -> client.sendAsync(upload, HttpResponse.BodyHandlers.ofString())).toList();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(202, answer.get().statusCode(), answer.get().body());
        }
        uploading.set(false);
        sampler.join();

        long growth = peak.get() - before;
        System.out.printf("%d uploads of %,d bytes at once (%,d in all): live heap at its peak %,d bytes above the "
                + "baseline, %.2f times the uploads%n", CLIENTS, document.length, total, growth, (double) growth / total);
        // under two copies of each upload live at the peak: the resource's array, and for a while the framework's
        // buffer beside it (1.5 times measured); a copy more anywhere would pass 2
        assertTrue(growth < total * 2, "the heap held " + growth + " bytes for " + total + " uploaded: copies");
    }

    /**
     * A one-page PDF whose bulk is an attached file of random bytes: the upload is as large as a document may be,
     * while its page (which a worker renders and reads) is blank, so that the test measures intake, not recognition.
     */
    private static byte[] largeDocument() {
        byte[] noise = new byte[ATTACHMENT_BYTES];
        new Random(42).nextBytes(noise);
        return TestDocuments.pdf(null, pdf -> {
            TestDocuments.blankPages(pdf, 1, PDRectangle.A6);
            try {
                PDComplexFileSpecification attachment = new PDComplexFileSpecification();
                attachment.setFile("noise.bin");
                attachment.setEmbeddedFile(new PDEmbeddedFile(pdf, new ByteArrayInputStream(noise)));
                PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
                files.setNames(Map.of("noise.bin", attachment));
                PDDocumentNameDictionary names = new PDDocumentNameDictionary(pdf.getDocumentCatalog());
                names.setEmbeddedFiles(files);
                pdf.getDocumentCatalog().setNames(names);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The heap's live objects: used after a full collection. */
    private static long settledHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
