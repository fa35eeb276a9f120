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
import java.util.List;
import java.util.function.Consumer;

/** PDFs the tests write themselves with PDFBox: scanned-looking pages (an image of text) and vector-text pages. */
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

    /** Adds {@code count} empty pages of {@code size}. */
    public static void blankPages(PDDocument pdf, int count, PDRectangle size) {
        for (int i = 0; i < count; i++) {
            pdf.addPage(new PDPage(size));
        }
    }
}
