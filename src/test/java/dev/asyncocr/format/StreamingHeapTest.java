package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.Tuning;
import dev.asyncocr.ocr.OcrWord;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.TestDocuments;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 100-page document's formats stream out: while a renderer writes, the heap holds the pages' results
 * and little else, never a second copy of the output (the PDF's page images included: they wait in a
 * temporary file until the document is written). Prints what it measured.
 */
class StreamingHeapTest {

    private static final int PAGES = 100;

    @Test
    void aHundredPagesStreamWithoutASecondCopy() throws IOException {
        List<ResultPage> pages = IntStream.rangeClosed(1, PAGES).mapToObj(StreamingHeapTest::page).toList();
        byte[] scan = scan();
        PageSources sources = page -> Optional.of(new PageSource.Image(scan));
        for (ResultFormat format : List.of(ResultFormat.TEXT, ResultFormat.HOCR, ResultFormat.ALTO, ResultFormat.PDF)) {
            assertStreams(format.wireName(), format, pages, sources);
        }
        byte[] part = TestDocuments.pdf(null, doc -> { // a submitted PDF's page: the scan at 72 DPI
            PDPage page = new PDPage(new PDRectangle(1000, 1800));
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.drawImage(JPEGFactory.createFromByteArray(doc, scan), 0, 0, 1000, 1800);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertStreams("pdf over a submitted PDF's pages", ResultFormat.PDF, pages,
                page -> Optional.of(new PageSource.PdfPage(part)));
    }

    private static void assertStreams(String label, ResultFormat format, List<ResultPage> pages, PageSources sources)
            throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledHeap(memory);
        HeapSampling out = new HeapSampling(memory, before);
        format.write(pages, sources, out);
        long growth = out.peak - before;
        System.out.printf("%s, %d pages: %,d bytes written; heap growth at its peak while writing %,d bytes "
                + "(%.1f%% of the output)%n", label, PAGES, out.written, growth, 100.0 * growth / out.written);
        assertTrue(growth < out.written / HeapSampling.BOUND, label + " holds its output: heap grew " + growth + " bytes for "
                + out.written + " written");
    }

    /** A page of 60 lines of 8 words. */
    private static ResultPage page(int number) {
        List<OcrLine> lines = new ArrayList<>();
        for (int l = 0; l < 60; l++) {
            List<OcrWord> words = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                String word = "word" + number + "x" + l + "y" + w;
                text.append(w == 0 ? "" : " ").append(word);
                words.add(new OcrWord(word, 0.9, box(20 + 120 * w, 30 * l, 110, 25)));
            }
            lines.add(new OcrLine(text.toString(), 0.9, box(20, 30 * l, 950, 25), 0, words));
        }
        return new ResultPage(number, new OcrResult(1000, 1800, lines, Map.of(OcrResult.TOTAL, 1.0), Tuning.DEFAULT));
    }

    /** The JPEG every page of the PDF shows: a page of the same size with lines drawn on it. */
    private static byte[] scan() throws IOException {
        BufferedImage image = DrawnPage.image(1000, 1800, new Font(Font.SANS_SERIF, Font.PLAIN, 22), g -> {
            for (int l = 0; l < 60; l++) {
                g.drawString("word x" + l + " a line of a page drawn to be scanned " + l, 20, 30 * l + 22);
            }
        });
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        return jpeg.toByteArray();
    }

    private static int[][] box(int x, int y, int w, int h) {
        return new int[][] {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
    }

    private static long settledHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * Discards what it is given, and samples the settled heap every 256 KiB of the first 2 MiB, then every 4 MiB:
     * often enough to see an output held whole (hundreds of KB for text, tens of MB for the PDFs), rarely enough
     * that the full collections do not dominate the suite's time.
     */
    private static final class HeapSampling extends OutputStream {
        /** The output over the heap's growth below which the output is not held: a quarter of it. */
        static final int BOUND = 4;
        private static final long FIRST = 2 << 20;
        private static final int RESAMPLES = 2;
        private final MemoryMXBean memory;
        private final long before;
        long written;
        long peak;

        HeapSampling(MemoryMXBean memory, long before) {
            this.memory = memory;
            this.before = before;
        }

        @Override
        public void write(int b) {
            count(1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count(len);
        }

        private void count(int n) {
            long every = written < FIRST ? 256 << 10 : 4 << 20;
            if ((written + n) / every != written / every) {
                long sample = settledHeap(memory);
                // a sample over the bound is taken again: what another thread held for a moment (the suite's last
                // service still runs in this JVM) is gone by then; what the writer holds is not, paused in this call
                for (int again = 0; again < RESAMPLES && sample - before >= (written + n) / BOUND; again++) {
                    sample = Math.min(sample, settledHeap(memory));
                }
                peak = Math.max(peak, sample);
            }
            written += n;
        }
    }
}
