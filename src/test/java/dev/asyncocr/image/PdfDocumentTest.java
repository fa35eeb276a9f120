package dev.asyncocr.image;

import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.TestDocuments;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PDFs opened, cut into parts and rendered by PDFBox, on documents the tests write. */
class PdfDocumentTest {

    @Test
    void aPdfIsCutIntoOnePagePartsThatRenderAtTheAskedDpi() throws IOException {
        byte[] pdf = TestDocuments.pdf(null, doc -> {
            TestDocuments.vectorPage(doc, "ONE");
            TestDocuments.vectorPage(doc, "TWO");
            TestDocuments.blankPages(doc, 1, PDRectangle.LETTER);
        });
        try (PdfDocument document = PdfDocument.open(pdf, null)) {
            assertEquals(3, document.pageCount());
            byte[] letter = document.part(3);
            try (PdfDocument part = PdfDocument.open(letter, null)) {
                assertEquals(1, part.pageCount());
            }
            RenderedPage rendered = PdfDocument.read(letter, 100, 40_000_000, TextLayer.OCR);
            assertEquals(100, rendered.dpi());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(rendered.image()));
            assertEquals(850, image.getWidth(), 1, "8.5 inches at 100 DPI (PDFBox rounds down)");
            assertEquals(1100, image.getHeight(), 1);
        }
    }

    @Test
    void aPartHoldsOnlyItsOwnPagesResources() {
        byte[] pdf = TestDocuments.pdf(null, doc -> {
            for (String text : new String[]{"FIRST SCAN", "SECOND SCAN", "THIRD SCAN", "FOURTH SCAN"}) {
                TestDocuments.scannedPage(doc, DrawnPage.image(1200, 1600,
                        new Font(Font.SERIF, Font.PLAIN, 48), g -> {
                            for (int y = 60; y < 1600; y += 60) {
                                g.drawString(text + " " + y, 40, y);
                            }
                        }));
            }
        });
        try (PdfDocument document = PdfDocument.open(pdf, null)) {
            for (int page = 1; page <= 4; page++) {
                int part = document.part(page).length;
                assertTrue(part < pdf.length / 3, "page " + page + "'s part has " + part + " of the document's "
                        + pdf.length + " bytes: a page task reads its own page, not the document");
            }
        }
    }

    @Test
    void aPageTooLargeForThePixelLimitIsRenderedAtTheHighestDpiThatFits() {
        byte[] pdf = TestDocuments.pdf(null, doc -> TestDocuments.blankPages(doc, 1,
                new PDRectangle(200 * 72, 200 * 72))); // 200 x 200 inches
        RenderedPage rendered = PdfDocument.read(pdf, 200, 1_000_000, TextLayer.OCR);
        assertEquals(5, rendered.dpi(), "1,000 x 1,000 pixels over 200 x 200 inches");
    }

    @Test
    void anEncryptedPdfOpensOnlyWithItsPasswordAndItsPartsAreNotEncrypted() {
        byte[] pdf = TestDocuments.pdf("secret", doc -> TestDocuments.vectorPage(doc, "HIDDEN"));
        assertEquals(ImageRejectedException.Reason.DOCUMENT_ENCRYPTED,
                assertThrows(ImageRejectedException.class, () -> PdfDocument.open(pdf, null)).reason());
        assertEquals(ImageRejectedException.Reason.DOCUMENT_ENCRYPTED,
                assertThrows(ImageRejectedException.class, () -> PdfDocument.open(pdf, "wrong")).reason());
        try (PdfDocument document = PdfDocument.open(pdf, "secret")) {
            byte[] part = document.part(1);
            PdfDocument.open(part, null).close(); // no password needed any more
        }
    }

    @Test
    void truncatedOrPagelessPdfsAreUnreadable() {
        byte[] pdf = TestDocuments.pdf(null, doc -> TestDocuments.vectorPage(doc, "CUT"));
        for (byte[] bad : new byte[][]{Arrays.copyOf(pdf, 40), "%PDF-1.7\nnothing else".getBytes(),
                TestDocuments.pdf(null, doc -> { })}) {
            ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> PdfDocument.open(bad, null));
            assertEquals(ImageRejectedException.Reason.DOCUMENT_UNREADABLE, e.reason());
            assertTrue(!e.getMessage().contains("Exception"), e.getMessage());
        }
        assertArrayEquals("%PDF-".getBytes(), Arrays.copyOf(pdf, 5));
    }
}
