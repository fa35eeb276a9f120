package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.multipdf.Splitter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A PDF, read by Apache PDFBox: opened and split into one-page parts at intake ({@link Splitter} keeps each page
 * with only the resources it uses), and a part read on the worker: its own text, or rendered to pixels. PDFBox runs no JavaScript and
 * fetches nothing a PDF refers to; it holds at most {@link #MAIN_MEMORY_BYTES} of a document's streams in the
 * heap and the rest in a scratch file, so memory stays bounded whatever the document declares.
 */
public final class PdfDocument implements Document {

    /** Each open document's share of the heap for its streams; beyond it, a scratch file. */
    private static final long MAIN_MEMORY_BYTES = 16L << 20;
    private static final byte[] SIGNATURE = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    /** PDF user space units per inch. */
    private static final double POINTS_PER_INCH = 72;

    private final PDDocument pdf;

    private PdfDocument(PDDocument pdf) {
        this.pdf = pdf;
    }

    /** Whether {@code bytes} start as a PDF does. */
    public static boolean isPdf(byte[] bytes) {
        if (bytes == null || bytes.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens a PDF, with {@code password} when it is encrypted; its parts come out unencrypted, the password
     * goes no further.
     *
     * @throws ImageRejectedException not a readable PDF, without pages, or encrypted and not opened
     */
    public static PdfDocument open(byte[] bytes, String password) {
        PDDocument pdf;
        try {
            pdf = Loader.loadPDF(bytes, password == null ? "" : password, null, null, scratch());
        } catch (InvalidPasswordException e) {
            throw new ImageRejectedException(Reason.DOCUMENT_ENCRYPTED, password == null
                    ? "The PDF is encrypted: send its password as the 'password' form field"
                    : "The password does not open the PDF");
        } catch (IOException | RuntimeException e) { // PDFBox answers some malformed files with runtime exceptions
            throw unreadable(e);
        }
        pdf.setAllSecurityToBeRemoved(true);
        if (pdf.getNumberOfPages() < 1) {
            close(pdf);
            throw new ImageRejectedException(Reason.DOCUMENT_UNREADABLE, "The PDF has no pages");
        }
        return new PdfDocument(pdf);
    }

    @Override
    public int pageCount() {
        return pdf.getNumberOfPages();
    }

    @Override
    public byte[] part(int page) {
        Splitter splitter = new Splitter();
        splitter.setStreamCacheCreateFunction(scratch());
        splitter.setStartPage(page);
        splitter.setEndPage(page);
        try {
            List<PDDocument> parts = splitter.split(pdf);
            try (PDDocument part = parts.get(0)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                part.save(out);
                return out.toByteArray();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(Reason.DOCUMENT_UNREADABLE,
                    "Page " + page + " of the PDF cannot be read: " + describe(e));
        }
    }

    @Override
    public void close() {
        close(pdf);
    }

    /**
     * Reads a one-page part at {@code dpi}, or at the highest lower DPI at which the page has at most
     * {@code maxPixels} pixels: with {@link TextLayer#AUTO}, as its own text when it has a real text layer
     * ({@link PdfTextLayer}); else rendered.
     *
     * @throws ImageRejectedException the part cannot be read or rendered, or the page is too large even at 1 DPI
     */
    public static RenderedPage read(byte[] part, int dpi, long maxPixels, TextLayer textLayer) {
        try (PDDocument pdf = Loader.loadPDF(part, "", null, null, scratch())) {
            PDRectangle box = pdf.getPage(0).getCropBox(); // what the renderer draws
            double squareInches = box.getWidth() * box.getHeight() / (POINTS_PER_INCH * POINTS_PER_INCH);
            int fitting = (int) Math.min(dpi, Math.floor(Math.sqrt(maxPixels / squareInches)));
            if (fitting < 1) {
                throw new ImageRejectedException(Reason.TOO_LARGE, "The page measures " + Math.round(box.getWidth())
                        + " x " + Math.round(box.getHeight()) + " points: over " + maxPixels + " pixels at any DPI");
            }
            if (textLayer == TextLayer.AUTO) {
                PdfTextLayer.Reading layer = PdfTextLayer.read(pdf, fitting);
                if (layer.measure().real()) {
                    return new RenderedPage(null, fitting, layer.text());
                }
            }
            BufferedImage image = new PDFRenderer(pdf).renderImageWithDPI(0, fitting, ImageType.RGB);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "bmp", out); // uncompressed: the cheapest to write and to decode again
            return new RenderedPage(out.toByteArray(), fitting);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            throw unreadable(e);
        }
    }

    private static StreamCacheCreateFunction scratch() {
        return MemoryUsageSetting.setupMixed(MAIN_MEMORY_BYTES).streamCache;
    }

    private static ImageRejectedException unreadable(Exception e) {
        return new ImageRejectedException(Reason.DOCUMENT_UNREADABLE, "The PDF cannot be read: " + describe(e));
    }

    /** PDFBox's own words on what is wrong with the file, never a class name. */
    private static String describe(Exception e) {
        return e.getMessage() == null ? "it is malformed" : e.getMessage();
    }

    private static void close(PDDocument pdf) {
        try {
            pdf.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release a PDF's scratch file", e);
        }
    }
}
