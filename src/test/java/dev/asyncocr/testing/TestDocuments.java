package dev.asyncocr.testing;

import dev.asyncocr.image.PageFrame;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * PDFs the tests write themselves: with PDFBox, scanned-looking pages (an image of text) and vector-text pages;
 * byte by byte ({@link RawPdf}), hostile files that PDFBox would not write.
 */
public final class TestDocuments {

    /** The lines of a born-digital page. */
    public static final List<String> INVOICE = List.of(
            "Invoice 2026-0117 for services rendered in November",
            "Consulting, 12 hours at 95.00 per hour: 1140.00",
            "Travel and lodging, as agreed: 310.50",
            "Total due within 30 days: 1450.50");
    public static final float TEXT_SIZE = 14;
    public static final float MARGIN = 72;
    public static final float LEADING = 24;

    private TestDocuments() {
    }

    /** A PDF whose {@code writer} adds its pages; encrypted with {@code userPassword} unless it is null. */
    public static byte[] pdf(String userPassword, Consumer<PDDocument> writer) {
        try (PDDocument pdf = new PDDocument()) {
            writer.accept(pdf);
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-" + userPassword, userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                pdf.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an A4 page showing {@code scan} across its width, as a scanner's PDF holds a page. */
    public static PDPage scannedPage(PDDocument pdf, BufferedImage scan) {
        return scannedPage(pdf, scan, PDRectangle.A4, 0);
    }

    /**
     * Adds a page of {@code size}, shown turned by {@code rotation} degrees, showing {@code scan} upright across
     * the shown page's width, less half an inch each side, an inch from its top.
     */
    public static PDPage scannedPage(PDDocument pdf, BufferedImage scan, PDRectangle size, int rotation) {
        PDPage page = new PDPage(size);
        page.setRotation(rotation);
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            PDImageXObject image = LosslessFactory.createFromImage(pdf, scan);
            float width = PageFrame.width(page) - 72;
            float height = width * scan.getHeight() / scan.getWidth();
            content.transform(PageFrame.toUserSpace(page));
            content.drawImage(image, 36, PageFrame.height(page) - 72 - height, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return page;
    }

    /**
     * Adds a born-digital page of {@code size}, shown turned by {@code rotation} degrees, with {@code lines} in
     * {@value #TEXT_SIZE}-point Helvetica upright as shown, from {@value #MARGIN} points off the shown page's top
     * left corner, a line every {@value #LEADING} points.
     */
    public static PDPage textPage(PDDocument pdf, PDRectangle size, int rotation, List<String> lines) {
        PDPage page = new PDPage(size);
        page.setRotation(rotation);
        pdf.addPage(page);
        addText(pdf, page, TEXT_SIZE, RenderingMode.FILL, lines);
        return page;
    }

    /** Writes {@code lines} on {@code page} as {@link #textPage} does, in {@code size} points, drawn as {@code mode}. */
    public static void addText(PDDocument pdf, PDPage page, float size, RenderingMode mode, List<String> lines) {
        try (PDPageContentStream content = new PDPageContentStream(pdf, page, PDPageContentStream.AppendMode.APPEND,
                true, true)) {
            content.transform(PageFrame.toUserSpace(page));
            content.beginText();
            content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), size);
            content.setRenderingMode(mode);
            content.newLineAtOffset(MARGIN, PageFrame.height(page) - MARGIN);
            for (String line : lines) {
                content.showText(line);
                content.newLineAtOffset(0, -size * LEADING / TEXT_SIZE);
            }
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a page that is {@code image} and nothing else: its MediaBox is the image's pixel size in points and the
     * image covers it, losslessly, so that rendered at 72 DPI (a point is 1/72 inch) the page is the image, pixel
     * for pixel.
     */
    public static void imagePage(PDDocument pdf, BufferedImage image) {
        PDPage page = new PDPage(new PDRectangle(image.getWidth(), image.getHeight()));
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            content.drawImage(LosslessFactory.createFromImage(pdf, image), 0, 0, image.getWidth(), image.getHeight());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an A4 page with {@code text} in 36-point Helvetica: a born-digital page. */
    public static void vectorPage(PDDocument pdf, String text) {
        PDPage page = new PDPage(PDRectangle.A4);
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            content.beginText();
            content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 36);
            content.newLineAtOffset(72, PDRectangle.A4.getHeight() - 144);
            content.showText(text);
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds one page of {@code width} x {@code height} points (PDF's limit is 14,400: 200 inches) showing {@code text}. */
    public static void vectorPage(PDDocument pdf, String text, float width, float height, float fontSize) {
        PDPage page = new PDPage(new PDRectangle(width, height));
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            content.beginText();
            content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), fontSize);
            content.newLineAtOffset(fontSize, height - 2 * fontSize);
            content.showText(text);
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code count} empty pages of {@code size}. */
    public static void blankPages(PDDocument pdf, int count, PDRectangle size) {
        for (int i = 0; i < count; i++) {
            pdf.addPage(new PDPage(size));
        }
    }

    // ---- hostile PDFs, written byte by byte

    /** {@code pages} empty US Letter pages, written directly: thousands cost milliseconds. */
    public static byte[] manyPages(int pages) {
        RawPdf pdf = new RawPdf().object("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(i + 3).append(" 0 R ");
        }
        pdf.object("<< /Type /Pages /Count " + pages + " /Kids [" + kids + "] >>");
        for (int i = 0; i < pages; i++) {
            pdf.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
        }
        return pdf.bytes();
    }

    /** One page whose dictionary holds an array nested {@code depth} deep: a parser that recurses overflows. */
    public static byte[] nestedArrays(int depth) {
        return onePage("/Nested " + "[".repeat(depth) + "]".repeat(depth));
    }

    /**
     * One page whose resources start a chain of {@code length} dictionaries, each referring to the next: a copy
     * (or a walk) that follows references by recursion overflows.
     */
    public static byte[] referenceChain(int length) {
        RawPdf pdf = onePageOf("/Resources 4 0 R");
        for (int i = 0; i < length; i++) {
            pdf.object("<< /Next " + (pdf.next() + 1) + " 0 R >>");
        }
        return pdf.object("null").bytes();
    }

    /**
     * One page whose resources live in an object stream that declares {@code 2^31 - 1} objects and inflates to
     * {@code inflatedBytes} (a few hundred kilobytes in the file): a parser that believes the count, or holds
     * the stream whole, runs out of memory.
     */
    public static byte[] hugeObjectStream(int inflatedBytes) {
        byte[] header = "5 0 ".getBytes(StandardCharsets.US_ASCII);
        byte[] resources = "<< >>".getBytes(StandardCharsets.US_ASCII);
        byte[] spaces = new byte[1 << 16];
        Arrays.fill(spaces, (byte) ' ');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            deflater.write(header);
            for (long left = inflatedBytes - header.length - resources.length; left > 0; left -= spaces.length) {
                deflater.write(spaces, 0, (int) Math.min(left, spaces.length));
            }
            deflater.write(resources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return onePageOf("/Resources 5 0 R").stream("/Type /ObjStm /N 2147483647 /First "
                + (inflatedBytes - resources.length) + " /Filter /FlateDecode", out.toByteArray()).compressed(4, 0)
                .bytes();
    }

    /** A page tree whose only kid is a node whose only kid is the root again: a walk that trusts it never ends. */
    public static byte[] pageTreeCycle() {
        return new RawPdf().object("<< /Type /Catalog /Pages 2 0 R >>")
                .object("<< /Type /Pages /Count 1 /Kids [3 0 R] >>")
                .object("<< /Type /Pages /Count 1 /Parent 2 0 R /Kids [2 0 R] >>").bytes();
    }

    /**
     * One page with everything a PDF can do beyond drawing, all pointing at {@code url}: an open action that
     * opens it, JavaScript that fetches it, a link to a remote document, a form that submits to it, a launch
     * action, an attached file and a stream whose data is said to live there.
     */
    public static byte[] activeContent(String url) {
        RawPdf pdf = new RawPdf().object("<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /URI /URI (" + url
                + "/open-action) >> /Names << /JavaScript << /Names [(fetch) << /S /JavaScript /JS (app.launchURL('"
                + url + "/javascript'); this.submitForm('" + url + "/submit-js');) >>] >> /EmbeddedFiles << /Names "
                + "[(a.txt) << /Type /Filespec /F (a.txt) /EF << /F 5 0 R >> >>] >> >> /AcroForm << /Fields [6 0 R] >>"
                + " /AA << /WC << /S /URI /URI (" + url + "/will-close) >> >> >>")
                .object("<< /Type /Pages /Count 1 /Kids [3 0 R] >>")
                .object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Annots [7 0 R 8 0 R]"
                        + " /AA << /O << /S /GoToR /F << /FS /URL /F (" + url + "/remote-goto) >> /D [0 /Fit] >> >> >>");
        pdf.stream("/F << /FS /URL /F (" + url + "/external-stream) >>", "0 0 m 10 10 l S".getBytes(
                StandardCharsets.US_ASCII));
        pdf.stream("/Type /EmbeddedFile", "attached".getBytes(StandardCharsets.US_ASCII));
        pdf.object("<< /FT /Btn /T (send) /Rect [0 0 50 20] /Subtype /Widget /P 3 0 R /A << /S /SubmitForm /F << /FS"
                + " /URL /F (" + url + "/submit) >> >> >>");
        pdf.object("<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F (" + url + "/launch) >> >>");
        return pdf.object("<< /Type /Annot /Subtype /Link /Rect [100 0 200 100] /A << /S /URI /URI (" + url
                + "/link) >> >>").bytes();
    }

    /** A catalog, a page tree of one page, and the page with {@code entries} in its dictionary. */
    private static byte[] onePage(String entries) {
        return onePageOf(entries).bytes();
    }

    private static RawPdf onePageOf(String entries) {
        return new RawPdf().object("<< /Type /Catalog /Pages 2 0 R >>")
                .object("<< /Type /Pages /Count 1 /Kids [3 0 R] >>")
                .object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] " + entries + " >>");
    }
}
