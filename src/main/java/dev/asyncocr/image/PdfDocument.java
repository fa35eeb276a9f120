package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.FilterFactory;
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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PDF, read by Apache PDFBox: opened and split into one-page parts at intake ({@link Splitter} keeps each page
 * with only the resources it uses), and a part read on the worker: its own text, or rendered to pixels. PDFBox runs no JavaScript and
 * fetches nothing a PDF refers to; it holds at most {@link #MAIN_MEMORY_BYTES} of a document's streams in the
 * heap and the rest in a scratch file, so memory stays bounded whatever the document declares. Two hostile
 * shapes PDFBox does not bound are refused here: an object stream that inflates past
 * {@link #MAX_OBJECT_STREAM_BYTES} (PDFBox inflates those whole in the heap), and objects nested or chained so
 * deep that copying a page overflows the stack.
 */
public final class PdfDocument implements Document {

    /** Each open document's share of the heap for its streams; beyond it, a scratch file. */
    private static final long MAIN_MEMORY_BYTES = 16L << 20;
    /** The most an object stream may inflate to; writers keep them to a few hundred small objects. */
    private static final int MAX_OBJECT_STREAM_BYTES = 16 << 20;
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
        try {
            checkObjectStreams(pdf.getDocument());
        } catch (IOException | RuntimeException e) {
            close(pdf);
            throw unreadable(e);
        }
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
        } catch (IOException | RuntimeException | StackOverflowError e) {
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
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            throw unreadable(e);
        }
    }

    /**
     * Refuses the document when one of its object streams inflates past {@link #MAX_OBJECT_STREAM_BYTES}, found
     * by running PDFBox's own filters into a bounded buffer before PDFBox parses the stream whole in the heap.
     */
    private static void checkObjectStreams(COSDocument document) throws IOException {
        // the cross-reference table gives an object kept in an object stream the stream's number, negated
        Set<Long> objectStreams = document.getXrefTable().values().stream().filter(offset -> offset < 0)
                .map(offset -> -offset).collect(Collectors.toSet());
        for (long number : objectStreams) {
            COSBase object = document.getObjectFromPool(new COSObjectKey(number, 0)).getObject();
            if (object instanceof COSStream stream) {
                inflateBounded(stream);
            }
        }
    }

    private static void inflateBounded(COSStream stream) throws IOException {
        COSBase filters = stream.getFilters();
        List<? extends COSBase> names = filters instanceof COSArray array ? array.toList()
                : filters == null ? List.of() : List.of(filters);
        try (InputStream raw = stream.createRawInputStream()) {
            InputStream data = raw;
            for (int i = 0; i < names.size(); i++) {
                if (!(names.get(i) instanceof COSName name)) {
                    throw new IOException("an object stream names a filter that is not a name");
                }
                BoundedBuffer decoded = new BoundedBuffer();
                FilterFactory.INSTANCE.getFilter(name).decode(data, decoded, stream, i);
                data = new ByteArrayInputStream(decoded.toByteArray());
            }
        }
    }

    /** A buffer that refuses to grow past {@link #MAX_OBJECT_STREAM_BYTES}. */
    private static final class BoundedBuffer extends ByteArrayOutputStream {

        @Override
        public void write(int b) {
            check(1);
            super.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            check(length);
            super.write(bytes, offset, length);
        }

        private void check(int more) {
            if (size() + (long) more > MAX_OBJECT_STREAM_BYTES) {
                throw new UncheckedIOException(new IOException("an object stream inflates to over "
                        + (MAX_OBJECT_STREAM_BYTES >> 20) + " MiB"));
            }
        }
    }

    private static StreamCacheCreateFunction scratch() {
        return MemoryUsageSetting.setupMixed(MAIN_MEMORY_BYTES).streamCache;
    }

    private static ImageRejectedException unreadable(Throwable e) {
        return new ImageRejectedException(Reason.DOCUMENT_UNREADABLE, "The PDF cannot be read: " + describe(e));
    }

    /**
     * PDFBox's own words on what is wrong with the file, never a class name; a runtime failure's words are
     * about our code, not the file.
     */
    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "its objects are nested or chained too deeply";
        }
        if (e instanceof UncheckedIOException unchecked) {
            e = unchecked.getCause();
        }
        return e instanceof IOException && e.getMessage() != null ? e.getMessage() : "it is malformed";
    }

    private static void close(PDDocument pdf) {
        try {
            pdf.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release a PDF's scratch file", e);
        }
    }
}
