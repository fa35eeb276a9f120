package dev.asyncocr.testing;

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

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** PDFs the tests write themselves with PDFBox: scanned-looking pages (an image of text) and vector-text pages. */
public final class TestDocuments {

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
    public static void scannedPage(PDDocument pdf, BufferedImage scan) {
        PDPage page = new PDPage(PDRectangle.A4);
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            PDImageXObject image = LosslessFactory.createFromImage(pdf, scan);
            float width = PDRectangle.A4.getWidth() - 72;
            float height = width * scan.getHeight() / scan.getWidth();
            content.drawImage(image, 36, PDRectangle.A4.getHeight() - 72 - height, width, height);
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

    /** Adds {@code count} empty pages of {@code size}. */
    public static void blankPages(PDDocument pdf, int count, PDRectangle size) {
        for (int i = 0; i < count; i++) {
            pdf.addPage(new PDPage(size));
        }
    }
}
