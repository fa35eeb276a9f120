package dev.asyncocr.bench;

import dev.asyncocr.testing.ServiceReplicas;
import dev.asyncocr.testing.TestDocuments;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The throughput benchmark's document mode ({@code --documents}): one PDF of 20 A4 pages of text ({@code --pages}),
 * read end to end at {@link #DPI} DPI by (a) the direct pipeline page by page, (b) the embedded service, (c) an
 * {@code api} replica with one, then two {@code worker} replicas (one inference of one thread each) on RabbitMQ
 * and Redis, and (d) the peer on the same pages rendered to PNG beforehand (it reads no PDF). Each reads the
 * document once to warm up, then once timed. The fan-out speed-up is (c) with two workers over one.
 */
final class DocumentBenchmark {

    static final int DPI = 200;
    private static final int LINES = 12;

    private DocumentBenchmark() {
    }

    static void run(ThroughputBenchmark.Settings settings, Path logs, Map<String, Object> report) throws Exception {
        int pageCount = settings.pages();
        byte[] pdf = document(pageCount);
        Path pages = renderedPages(pdf, Files.createTempDirectory(logs, "pages-"));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("pages", pageCount);
        document.put("page", "A4, " + LINES + " lines of 20-point Helvetica");
        document.put("dpi", DPI);
        document.put("pdf_bytes", pdf.length);
        report.put("document", document);
        System.out.printf("a %d-page PDF (%d bytes), A4 at %d DPI, thread budget %d%n", pageCount, pdf.length, DPI,
                settings.threads());

        // direct and peer: warm-up pass, then one timed pass over the pre-rendered pages
        Map<String, Object> direct = pages(pageCount, ThroughputBenchmark.child(DirectRow.class, logs.resolve("document-direct.log"),
                "1 " + settings.threads() + " " + settings.detection() + " " + pages));
        print(report, "direct", "direct pipeline, page by page", direct);
        Map<String, Object> peer = pages(pageCount, ThroughputBenchmark.child(PeerRow.class, logs.resolve("document-peer.log"),
                "1 " + settings.threads() + " " + settings.peerMaxSide() + " " + pages));
        print(report, "peer", "peer RapidOCR-Java, page by page (PNG)", peer);

        Map<String, String> common = new LinkedHashMap<>();
        common.put("ocr.engine.intra-op-threads", "1");
        common.put("ocr.detection.size", settings.detection().toString());
        Map<String, String> embedded = new LinkedHashMap<>(common);
        embedded.put("ocr.worker.concurrency", Integer.toString(settings.threads()));
        embedded.put("ocr.queue.embedded-port", Integer.toString(ServiceReplicas.freePort()));
        embedded.put("ocr.data-dir", Files.createTempDirectory(logs, "data-").toString());
        Map<String, Object> embeddedRow;
        try (ServiceUnderLoad service = new ServiceUnderLoad(settings.jar(), embedded, logs.resolve("document-embedded.log"))) {
            embeddedRow = read(service, pdf, pageCount);
        }
        print(report, "embedded", "embedded service, " + settings.threads() + " workers", embeddedRow);

        Map<String, String> production = new LinkedHashMap<>(common);
        production.put("ocr.queue.url", "amqp://guest:guest@127.0.0.1:5672");
        production.put("ocr.queue.address", "/queue/ocr-bench-documents");
        production.put("ocr.store.type", "redis");
        production.put("ocr.store.redis-key-prefix", "async-ocr-bench-documents:");
        Map<String, String> workerConfig = new LinkedHashMap<>(production);
        workerConfig.put("ocr.role", "worker");
        workerConfig.put("ocr.worker.concurrency", "1");
        production.put("ocr.role", "api");
        try (ServiceUnderLoad api = new ServiceUnderLoad(settings.jar(), production, logs.resolve("document-api.log"));
             ServiceUnderLoad first = new ServiceUnderLoad(settings.jar(), workerConfig, logs.resolve("document-worker-1.log"))) {
            Map<String, Object> one = read(api, pdf, pageCount);
            print(report, "production_1_worker", "api + 1 worker, RabbitMQ + Redis", one);
            try (ServiceUnderLoad second = new ServiceUnderLoad(settings.jar(), workerConfig,
                    logs.resolve("document-worker-2.log"))) {
                Map<String, Object> two = read(api, pdf, pageCount);
                print(report, "production_2_workers", "api + 2 workers, RabbitMQ + Redis", two);
                report.put("fan_out_speed_up", Latencies.round(rate(two) / rate(one)));
                report.put("ratio_vs_peer", Latencies.round(rate(two) / rate(peer)));
                report.put("ratio_embedded_vs_peer", Latencies.round(rate(embeddedRow) / rate(peer)));
            }
        }
        System.out.printf("%nfan-out: two workers / one %.2f; ours (two workers) / peer %.2f%n",
                report.get("fan_out_speed_up"), report.get("ratio_vs_peer"));
    }

    /** The document read once to warm up, then once timed. */
    private static Map<String, Object> read(ServiceUnderLoad service, byte[] pdf, int pages) throws Exception {
        service.readDocument(pdf);
        return timing(pages, service.readDocument(pdf));
    }

    private static Map<String, Object> timing(int pages, double seconds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seconds", Latencies.round(seconds));
        row.put("pages_per_s", Latencies.round(pages / seconds));
        return row;
    }

    /** A row of one image per page read as seconds and pages/s for the whole document. */
    private static Map<String, Object> pages(int pages, Map<String, Object> row) {
        return timing(pages, pages / (double) row.get("images_per_s"));
    }

    private static double rate(Map<String, Object> row) {
        return (double) row.get("pages_per_s");
    }

    private static void print(Map<String, Object> report, String key, String label, Map<String, Object> row) {
        report.put(key, row);
        System.out.printf("%-44s %7.2f s  %6.2f pages/s%n", label, row.get("seconds"), row.get("pages_per_s"));
    }

    /** Born-digital A4 pages of text lines, each page its own numbers. */
    private static byte[] document(int pages) {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        return TestDocuments.pdf(null, pdf -> {
            for (int page = 1; page <= pages; page++) {
                PDPage a4 = new PDPage(PDRectangle.A4);
                pdf.addPage(a4);
                try (PDPageContentStream content = new PDPageContentStream(pdf, a4)) {
                    content.beginText();
                    content.setFont(helvetica, 20);
                    content.setLeading(40);
                    content.newLineAtOffset(72, PDRectangle.A4.getHeight() - 96);
                    for (int line = 1; line <= LINES; line++) {
                        content.showText("Page " + page + ", line " + line + ": invoice 2026-" + (1000 + page * 37 + line));
                        content.newLine();
                    }
                    content.endText();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    /** Each page rendered to a PNG at {@link #DPI} DPI in {@code folder}, for the rows that read images. */
    private static Path renderedPages(byte[] pdf, Path folder) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(document);
            for (int page = 0; page < document.getNumberOfPages(); page++) {
                ImageIO.write(renderer.renderImageWithDPI(page, DPI, ImageType.RGB), "png",
                        folder.resolve(String.format("page-%02d.png", page + 1)).toFile());
            }
        }
        return folder;
    }
}
