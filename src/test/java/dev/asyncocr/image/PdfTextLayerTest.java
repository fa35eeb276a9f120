package dev.asyncocr.image;

import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.TestDocuments;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfwriter.ContentStreamWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code text_layer=auto} decides whether a PDF page's own text is taken, on pages of each kind. */
class PdfTextLayerTest {

    private static final int DPI = 200;

    @Test
    void eachKindOfPageIsDecidedAsItShouldBe() throws IOException {
        Map<String, Consumer<PDDocument>> kinds = new LinkedHashMap<>();
        kinds.put("born-digital text page", doc -> TestDocuments.textPage(doc, PDRectangle.A4, 0, TestDocuments.INVOICE));
        kinds.put("born-digital text page with a logo", doc -> logo(doc, TestDocuments.textPage(doc, PDRectangle.A4, 0,
                TestDocuments.INVOICE)));
        kinds.put("born-digital page with a title only", doc -> TestDocuments.textPage(doc, PDRectangle.A4, 0,
                List.of("Annex B")));
        kinds.put("scanned page", doc -> TestDocuments.scannedPage(doc, scan()));
        kinds.put("scan + stray characters (Bates number)", doc -> TestDocuments.addText(doc,
                TestDocuments.scannedPage(doc, scan()), 8, RenderingMode.FILL, List.of("ACME-000123 CONFIDENTIAL")));
        kinds.put("small scan + stray characters", doc -> TestDocuments.addText(doc,
                TestDocuments.scannedPage(doc, DrawnPage.image(1000, 160, new Font(Font.SANS_SERIF, Font.PLAIN, 64),
                        g -> g.drawString("A short scanned note", 40, 100))), 8, RenderingMode.FILL,
                List.of("ACME-000123")));
        kinds.put("scan + invisible text of an earlier OCR", doc -> TestDocuments.addText(doc,
                TestDocuments.scannedPage(doc, scan()), 24, RenderingMode.NEITHER, scanLines()));
        kinds.put("text in a font without Unicode mapping", PdfTextLayerTest::unmappedPage);
        Map<String, Boolean> expected = Map.of("born-digital text page", true,
                "born-digital text page with a logo", true, "small scan + stray characters", false,
                "born-digital page with a title only", false, "scanned page", false,
                "scan + stray characters (Bates number)", false, "scan + invisible text of an earlier OCR", true,
                "text in a font without Unicode mapping", false);

        System.out.println("| page | characters | unmapped | text covers | images cover | taken from the PDF |");
        for (Map.Entry<String, Consumer<PDDocument>> kind : kinds.entrySet()) {
            try (PDDocument pdf = Loader.loadPDF(TestDocuments.pdf(null, kind.getValue()))) {
                PdfTextLayer.Measure measure = PdfTextLayer.read(pdf, DPI).measure();
                System.out.printf("| %s | %d | %d | %.1f%% | %.0f%% | %s |%n", kind.getKey(), measure.characters(),
                        measure.unmapped(), 100 * measure.textCoverage(), 100 * measure.imageCoverage(),
                        measure.real() ? "yes" : "no, recognised");
                assertEquals(expected.get(kind.getKey()), measure.real(), kind.getKey() + ": " + measure);
            }
        }
    }

    @Test
    void aBornDigitalPagesTextComesBackAsWrittenOnItsWordsWhateverItsSizeAndRotation() {
        for (int rotation : new int[]{0, 90, 270}) {
            byte[] part = TestDocuments.pdf(null, doc -> TestDocuments.textPage(doc, PDRectangle.LETTER, rotation,
                    TestDocuments.INVOICE));
            RenderedPage read = PdfDocument.read(part, DPI, 40_000_000, TextLayer.AUTO);
            assertNull(read.image(), "not rendered");
            PageText text = read.text();
            assertNotNull(text);
            assertEquals(String.join("\n", TestDocuments.INVOICE), String.join("\n", text.lines().stream()
                    .map(PageText.Line::text).toList()), "rotation " + rotation);
            boolean turned = rotation % 180 != 0;
            assertEquals(turned ? 2200 : 1700, text.width(), "the shown page at 200 DPI, as it is rendered");
            assertEquals(turned ? 1700 : 2200, text.height());
            PageText.Word first = text.lines().get(0).words().get(0);
            assertEquals("Invoice", first.text());
            int margin = Math.round(TestDocuments.MARGIN * DPI / 72); // its baseline and left edge, in pixels
            assertEquals(margin, first.left(), 3, "rotation " + rotation);
            assertTrue(first.top() < margin && margin < first.bottom(), first + ", rotation " + rotation);
        }
        assertNotNull(PdfDocument.read(TestDocuments.pdf(null, doc -> TestDocuments.textPage(doc, PDRectangle.A4, 0,
                TestDocuments.INVOICE)), DPI, 40_000_000, TextLayer.OCR).image(), "text_layer=ocr renders every page");
    }

    /** Draws a small image, two by one inches, in the page's top right corner. */
    private static void logo(PDDocument pdf, PDPage page) {
        try (PDPageContentStream content = new PDPageContentStream(pdf, page, PDPageContentStream.AppendMode.APPEND,
                true, true)) {
            PDImageXObject image = LosslessFactory.createFromImage(pdf, DrawnPage.image(200, 100,
                    new Font(Font.SANS_SERIF, Font.BOLD, 60), g -> g.drawString("ACME", 10, 75)));
            content.drawImage(image, page.getMediaBox().getWidth() - 180, page.getMediaBox().getHeight() - 108, 144,
                    72);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page of lines of text as a scanner would see them. */
    static BufferedImage scan() {
        return DrawnPage.image(1200, 1600, new Font(Font.SERIF, Font.PLAIN, 40), g -> {
            List<String> lines = scanLines();
            for (int i = 0; i < lines.size(); i++) {
                g.drawString(lines.get(i), 40, 80 + 60 * i);
            }
        });
    }

    private static List<String> scanLines() {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> "Line " + i + " of the scanned letter").toList();
    }

    /** Text shown in codes its font maps to no character (no ToUnicode, nothing in its encoding): garbage out. */
    private static void unmappedPage(PDDocument pdf) {
        PDPage page = new PDPage(PDRectangle.A4);
        pdf.addPage(page);
        PDResources resources = new PDResources();
        COSName font = resources.add(new PDType1Font(Standard14Fonts.FontName.HELVETICA));
        page.setResources(resources);
        byte[] codes = new byte[30];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (1 + i % 30);
        }
        PDStream contents = new PDStream(pdf);
        try (OutputStream out = contents.createOutputStream()) {
            new ContentStreamWriter(out).writeTokens(Operator.getOperator("BT"), font, COSInteger.get(14),
                    Operator.getOperator("Tf"), COSInteger.get(72), COSInteger.get(700), Operator.getOperator("Td"),
                    new COSString(codes), Operator.getOperator("Tj"), Operator.getOperator("ET"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.setContents(contents);
    }
}
