package dev.asyncocr.format;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.ImageHeader;
import dev.asyncocr.image.PageFrame;
import dev.asyncocr.image.PdfDocument;
import dev.asyncocr.image.RenderedPage;
import dev.asyncocr.image.TextLayer;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.Tuning;
import dev.asyncocr.ocr.OcrWord;
import dev.asyncocr.testing.BundledPipeline;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.SharedData;
import dev.asyncocr.testing.TestDocuments;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The searchable PDF of real results (the models on drawn pages and on shared evaluation images): PDFBox's
 * {@code PDFTextStripper} and poppler's {@code pdftotext} give back the recognised text, and the words
 * {@code pdftotext -bbox} finds lie on the word boxes; a JPEG goes in as it came; every character of the
 * dictionary copies out as itself. Poppler's tools are skipped with a message where they are not installed
 * (never on CI, where {@code .ci/run} installs them).
 */
class SearchablePdfTest {

    /** How far a word that pdftotext finds may stray outside its box, in points (the bound). */
    private static final double TOLERANCE_PT = 3;
    /** What a PDF may add to the JPEG it shows (the bound). */
    private static final int JPEG_OVERHEAD_BYTES = 30 * 1024;

    @RegisterExtension
    static final BundledPipeline PIPELINE = new BundledPipeline();

    @Test
    void aDrawnPageComesBackFromBothExtractorsOnItsWords() throws Exception {
        byte[] png = drawn("Searchable scans, 2026", "keep every page", "Invoice No. 4711");
        OcrResult result = PIPELINE.read(png);
        assertEquals(3, result.lines().size(), "the drawn lines were read: " + result.text());
        byte[] pdf = pdf(png, result);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertEquals(1, document.getNumberOfPages());
            PDPage page = document.getPage(0);
            assertEquals(result.width(), page.getMediaBox().getWidth(), 0.01, "72 DPI without a stated resolution");
            assertEquals(result.height(), page.getMediaBox().getHeight(), 0.01);
        }
        assertBothExtractorsGiveBack(pdf, List.of(new ResultPage(1, result)));
    }

    @Test
    void aJpegGoesInAsItCameAndAddsAtMost30Kilobytes() throws Exception {
        byte[] jpeg = jpeg(DrawnPage.image(900, 470, new Font(Font.SANS_SERIF, Font.PLAIN, 64),
                g -> {
                    g.drawString("A scanned letter", 60, 140);
                    g.drawString("with two lines", 60, 250);
                    g.drawString("and a third", 60, 360);
                }));
        OcrResult result = PIPELINE.read(jpeg);
        byte[] pdf = pdf(jpeg, result);

        assertTrue(pdf.length <= jpeg.length + JPEG_OVERHEAD_BYTES,
                "PDF " + pdf.length + " bytes for a JPEG of " + jpeg.length);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDPage page = document.getPage(0);
            COSName name = page.getResources().getXObjectNames().iterator().next();
            PDImageXObject image = (PDImageXObject) page.getResources().getXObject(name);
            assertEquals(List.of(COSName.DCT_DECODE), image.getStream().getFilters());
            try (InputStream raw = image.getCOSObject().createRawInputStream()) {
                assertArrayEquals(jpeg, raw.readAllBytes(), "the JPEG is embedded byte for byte");
            }
        }
        assertBothExtractorsGiveBack(pdf, List.of(new ResultPage(1, result)));
        System.out.printf("searchable PDF of a %d-byte JPEG: %d bytes (+%d)%n", jpeg.length, pdf.length,
                pdf.length - jpeg.length);
    }

    @Test
    void sharedImagesChineseAndEnglish() throws Exception {
        for (String name : List.of("ch_en_num.jpg", "return_word_debug.jpg")) {
            byte[] image = Files.readAllBytes(SharedData.require("eval/rapidocr/" + name));
            OcrResult result = PIPELINE.read(image);
            assertTrue(result.text().codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN), name + " has Chinese: " + result.text());
            byte[] pdf = pdf(image, result);
            assertTrue(pdf.length <= image.length + JPEG_OVERHEAD_BYTES, name + ": " + pdf.length + " bytes");
            assertBothExtractorsGiveBack(pdf, List.of(new ResultPage(1, result)));
        }
    }

    @Test
    void aJpegIsTurnedByItsExifOrientationOnThePage() throws Exception {
        byte[] jpeg = Files.readAllBytes(SharedData.require("eval/rapidocr/img_exif_orientation.jpg"));
        ImageHeader header = ImageHeader.read(jpeg);
        assertTrue(header.orientation() != 1, "the case is turned by its EXIF orientation");
        OcrResult result = PIPELINE.read(jpeg);
        byte[] pdf = pdf(jpeg, result);

        BufferedImage upright;
        try (Mat decoded = new ImageDecoder(Long.MAX_VALUE).decode(jpeg)) {
            upright = new BufferedImage(decoded.cols(), decoded.rows(), BufferedImage.TYPE_3BYTE_BGR);
            decoded.data().get(((DataBufferByte) upright.getRaster().getDataBuffer()).getData());
        }
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDRectangle size = document.getPage(0).getMediaBox();
            double dpi = PdfRenderer.resolution(jpeg);
            assertEquals(result.width() * 72 / dpi, size.getWidth(), 0.5);
            assertEquals(result.height() * 72 / dpi, size.getHeight(), 0.5);
            BufferedImage shown = new PDFRenderer(document).renderImageWithDPI(0, (float) dpi, ImageType.RGB);
            assertEquals(upright.getWidth(), shown.getWidth());
            assertEquals(upright.getHeight(), shown.getHeight());
            double difference = meanDifference(upright, shown);
            assertTrue(difference < 8, "the page shows the image upright: mean difference " + difference);
        }
        assertBothExtractorsGiveBack(pdf, List.of(new ResultPage(1, result)));
    }

    @Test
    void aPageIsTheImagesSizeAtTheResolutionItStates() throws Exception {
        BufferedImage image = DrawnPage.image(900, 600, new java.awt.Font(java.awt.Font.SANS_SERIF,
                java.awt.Font.PLAIN, 64), g -> g.drawString("At 300 DPI", 60, 140));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), null);
        String jpegMetadata = "javax_imageio_jpeg_image_1.0";
        Element tree = (Element) metadata.getAsTree(jpegMetadata);
        Element jfif = (Element) tree.getElementsByTagName("app0JFIF").item(0);
        jfif.setAttribute("resUnits", "1"); // dots per inch
        jfif.setAttribute("Xdensity", "300");
        jfif.setAttribute("Ydensity", "300");
        metadata.setFromTree(jpegMetadata, tree);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(jpeg)) {
            writer.setOutput(out);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
        assertEquals(300, PdfRenderer.resolution(jpeg.toByteArray()), 0.01);
        byte[] pdf = pdf(jpeg.toByteArray(), PIPELINE.read(jpeg.toByteArray()));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertEquals(900 * 72 / 300.0, document.getPage(0).getMediaBox().getWidth(), 0.01, "3 inches wide");
            assertEquals(600 * 72 / 300.0, document.getPage(0).getMediaBox().getHeight(), 0.01);
        }
        assertEquals(PdfRenderer.DEFAULT_DPI, PdfRenderer.resolution(drawn("No resolution stated")), 0.01);
    }

    @Test
    void aDocumentsFailedPageShowsItsImageWithoutText() throws Exception {
        byte[] first = drawn("First page");
        byte[] second = drawn("Second page");
        byte[] third = drawn("Third page");
        Map<Integer, byte[]> images = Map.of(1, first, 2, second, 3, third);
        List<ResultPage> pages = List.of(new ResultPage(1, PIPELINE.read(first)), new ResultPage(2, null),
                new ResultPage(3, PIPELINE.read(third)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultFormat.PDF.write(pages, page -> Optional.of(new PageSource.Image(images.get(page))), out);

        try (PDDocument document = Loader.loadPDF(out.toByteArray())) {
            assertEquals(3, document.getNumberOfPages());
            for (int p = 1; p <= 3; p++) {
                assertEquals(1, document.getPage(p - 1).getResources().getCOSObject()
                        .getCOSDictionary(COSName.XOBJECT).size(), "page " + p + " shows its image");
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                String expected = pages.get(p - 1).failed() ? "" : pages.get(p - 1).result().text();
                assertEquals(collapsed(expected), collapsed(stripper.getText(document)), "page " + p);
            }
        }
        assertBothExtractorsGiveBack(out.toByteArray(), pages);
    }

    /**
     * A submitted PDF's pages as a document job's workers read them (its own text on a born-digital page, the
     * others rendered and recognised), written over their parts: the pages are the original ones, sizes and
     * rotation kept, and the text comes back once from each, on its words, the rotated page's too.
     */
    @Test
    void aSubmittedPdfKeepsItsPagesWithTheTextLaidOverTheScannedOnes() throws Exception {
        byte[] submitted = TestDocuments.pdf(null, doc -> {
            TestDocuments.scannedPage(doc, scan("Scanned page one", "Second line of it"));
            PDPage bornDigital = TestDocuments.textPage(doc, PDRectangle.LETTER, 0,
                    List.of("Born digital page two", "Kept as it was"));
            PDAnnotationLink link = new PDAnnotationLink();
            link.setRectangle(new PDRectangle(72, 600, 200, 20));
            link.setPage(bornDigital);
            try {
                bornDigital.getAnnotations().add(link);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestDocuments.scannedPage(doc, scan("Turned page three"), new PDRectangle(500, 360), 90);
        });
        Map<Integer, byte[]> parts = new HashMap<>();
        List<ResultPage> pages = new ArrayList<>();
        try (PdfDocument document = PdfDocument.open(submitted, null)) {
            for (int p = 1; p <= 3; p++) {
                parts.put(p, document.part(p));
                RenderedPage read = PdfDocument.read(parts.get(p), 100, 40_000_000, TextLayer.AUTO);
                pages.add(read.text() != null ? new ResultPage(p, OcrResult.of(read.text(), 0), true)
                        : new ResultPage(p, PIPELINE.read(read.image())));
            }
        }
        assertEquals(List.of(false, true, false), pages.stream().map(ResultPage::ownText).toList());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultFormat.PDF.write(pages, page -> Optional.of(new PageSource.PdfPage(parts.get(page))), out);

        try (PDDocument original = Loader.loadPDF(submitted); PDDocument searchable = Loader.loadPDF(out.toByteArray())) {
            assertEquals(3, searchable.getNumberOfPages());
            for (int p = 0; p < 3; p++) {
                PDPage before = original.getPage(p);
                PDPage after = searchable.getPage(p);
                assertEquals(before.getMediaBox().toString(), after.getMediaBox().toString(), "page " + (p + 1));
                assertEquals(before.getCropBox().toString(), after.getCropBox().toString(), "page " + (p + 1));
                assertEquals(before.getRotation(), after.getRotation(), "page " + (p + 1));
            }
            assertEquals(1, searchable.getPage(0).getResources().getCOSObject().getCOSDictionary(COSName.XOBJECT)
                    .size(), "the scan is there, as it was");
            assertEquals(1, searchable.getPage(1).getAnnotations().size(), "the link is kept");
            assertEquals(3, searchable.getDocument().getObjectsByType(COSName.PAGE).size(),
                    "no page copied twice (an annotation's link back to its page)");
        }
        assertTrue(pages.get(0).result().text().contains("Scanned"), pages.get(0).result().text());
        assertTrue(pages.get(2).result().text().contains("Turned"), pages.get(2).result().text());
        assertBothExtractorsGiveBack(out.toByteArray(), pages); // the born-digital page's text once, not doubled
    }

    /** A scan's image: the lines in 64-pixel sans-serif. */
    private static BufferedImage scan(String... lines) {
        return DrawnPage.image(1000, 60 + 100 * lines.length, new Font(Font.SANS_SERIF, Font.PLAIN, 64), g -> {
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], 40, 90 + 100 * i);
            }
        });
    }

    @Test
    void everyCharacterOfTheDictionaryCopiesOutAsItself() throws Exception {
        List<String> characters = PIPELINE.dictionary().stream().filter(c -> !c.isBlank()).toList();
        assertTrue(characters.stream().anyMatch(c -> !c.codePoints().allMatch(Character::isBmpCodePoint)),
                "the dictionary has a character beyond the BMP, which the font writes with a code of its own");
        // rows of 40 characters, each a word of its own on a 24-pixel grid, as the recogniser gives CJK
        int perRow = 40;
        int cell = 24;
        List<OcrLine> lines = new ArrayList<>();
        for (int start = 0; start < characters.size(); start += perRow) {
            List<String> row = characters.subList(start, Math.min(start + perRow, characters.size()));
            int top = (start / perRow) * cell;
            List<OcrWord> words = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                words.add(new OcrWord(row.get(i), 1, box(i * cell, top, (i + 1) * cell - 2, top + cell - 2)));
            }
            lines.add(new OcrLine(String.join("", row), 1, box(0, top, row.size() * cell, top + cell - 2), 0, words));
        }
        OcrResult result = new OcrResult(perRow * cell, lines.size() * cell, lines, Map.of(), Tuning.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultFormat.PDF.write(List.of(new ResultPage(1, result)), out);

        String expected = String.join("", characters);
        try (PDDocument document = Loader.loadPDF(out.toByteArray())) {
            assertEquals(expected, new PDFTextStripper().getText(document).replaceAll("\\s", ""));
        }
        Optional<String> extracted = pdftotext(out.toByteArray());
        if (extracted.isPresent()) {
            assertEquals(expected, extracted.get().replaceAll("\\s", ""));
        }
    }

    @Test
    void theGlyphlessFontIsAValidTrueTypeProgram() throws IOException {
        byte[] program = GlyphlessFont.trueType();
        assertEquals(0xB1B0AFBAL, GlyphlessFont.checksum(program), "the whole font sums to TrueType's magic");
        try (TrueTypeFont font = new TTFParser(true).parse(new RandomAccessReadBuffer(program))) {
            assertEquals(2, font.getNumberOfGlyphs());
            assertEquals(GlyphlessFont.ADVANCE, font.getUnitsPerEm());
            assertEquals(GlyphlessFont.ADVANCE, font.getAdvanceWidth(1));
            assertTrue(font.getGlyph().getGlyph(1).getBoundingBox().getWidth() == 0, "the glyph draws nothing");
        }
        assertTrue(program.length < 1024, program.length + " bytes");
    }

    /** PDFTextStripper and pdftotext give back each page's lines, in order; pdftotext's words lie on the boxes. */
    private static void assertBothExtractorsGiveBack(byte[] pdf, List<ResultPage> pages) throws Exception {
        String expected = collapsed(pages.stream().filter(p -> !p.failed()).map(p -> p.result().text())
                .collect(Collectors.joining("\n")));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertEquals(expected, collapsed(new PDFTextStripper().getText(document)), "PDFTextStripper");
        }
        Optional<String> poppler = pdftotext(pdf);
        if (poppler.isEmpty()) {
            return;
        }
        assertEquals(expected, collapsed(poppler.get()), "pdftotext");
        assertWordsOnTheirBoxes(pdf, pages);
        String fonts = poppler("pdffonts", pdf).orElseThrow();
        assertTrue(fonts.contains("GlyphLessFont") && fonts.contains("CID TrueType") && fonts.contains("yes"), fonts);
    }

    /**
     * The words pdftotext finds spell, in order, each of the line's runs of words not separated by a space (a
     * Latin word, or CJK characters side by side; poppler may cut a run where the font size changes), and
     * each lies within its run's box scaled to points, 3 pt either way.
     */
    private static void assertWordsOnTheirBoxes(byte[] pdf, List<ResultPage> pages) throws Exception {
        String html = poppler("pdftotext", pdf, "-bbox", "-raw").orElseThrow();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        var dom = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        NodeList pageElements = dom.getElementsByTagName("page");
        assertEquals(pages.size(), pageElements.getLength(), "every page here has its source, so each is in the PDF");
        List<Float> shownWidths = new ArrayList<>(); // poppler places words on the page as shown, turned
        try (PDDocument document = Loader.loadPDF(pdf)) {
            document.getPages().forEach(page -> shownWidths.add(PageFrame.width(page)));
        }
        for (int p = 0; p < pages.size(); p++) {
            Element page = (Element) pageElements.item(p);
            NodeList words = page.getElementsByTagName("word");
            if (pages.get(p).failed()) {
                assertEquals(0, words.getLength(), "a failed page has no text");
                continue;
            }
            OcrResult result = pages.get(p).result();
            double scale = shownWidths.get(p) / result.width();
            List<Run> unread = new ArrayList<>(runs(result));
            for (int i = 0; i < words.getLength(); i++) {
                Element word = (Element) words.item(i);
                String text = word.getTextContent();
                double[] at = Stream.of("xMin", "yMin", "xMax", "yMax")
                        .mapToDouble(a -> Double.parseDouble(word.getAttribute(a))).toArray();
                Run run = unread.stream().filter(r -> r.text().startsWith(text) && r.holds(at, scale)).findFirst()
                        .orElseThrow(() -> new AssertionError("pdftotext's word '" + text + "' at "
                                + Arrays.toString(at) + " begins none of the unread runs " + unread));
                unread.set(unread.indexOf(run), run.after(text));
            }
            unread.removeIf(run -> run.text().isEmpty());
            assertEquals(List.of(), unread, "page " + (p + 1) + ": text pdftotext did not find");
        }
    }

    /** Words of a line not separated by a space, with the bounds of all of them, in pixels. */
    private record Run(String text, int left, int top, int right, int bottom) {

        /** What is left of the run once pdftotext found {@code word} at its start. */
        Run after(String word) {
            return new Run(text.substring(word.length()), left, top, right, bottom);
        }

        boolean holds(double[] points, double scale) {
            return points[0] >= left * scale - TOLERANCE_PT && points[1] >= top * scale - TOLERANCE_PT
                    && points[2] <= right * scale + TOLERANCE_PT && points[3] <= bottom * scale + TOLERANCE_PT;
        }
    }

    private static List<Run> runs(OcrResult result) {
        List<Run> runs = new ArrayList<>();
        for (OcrLine line : result.lines()) {
            List<String> separators = LineText.separators(line);
            Run run = null;
            for (int i = 0; i < line.words().size(); i++) {
                OcrWord word = line.words().get(i);
                Bounds b = Bounds.of(word.box());
                if (run == null || !separators.get(i).isEmpty()) {
                    if (run != null) {
                        runs.add(run);
                    }
                    run = new Run(word.text(), b.left(), b.top(), b.right(), b.bottom());
                } else {
                    run = new Run(run.text() + word.text(), Math.min(run.left(), b.left()), Math.min(run.top(), b.top()),
                            Math.max(run.right(), b.right()), Math.max(run.bottom(), b.bottom()));
                }
            }
            if (run != null) {
                runs.add(run);
            }
        }
        return runs;
    }

    private static byte[] pdf(byte[] image, OcrResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultFormat.PDF.write(List.of(new ResultPage(1, result)), page -> Optional.of(new PageSource.Image(image)), out);
        return out.toByteArray();
    }

    /**
     * pdftotext's text in the order the PDF holds it ({@code -raw}: without it poppler makes its own columns,
     * which on a poster-like page reorders lines the recogniser read top to bottom), or empty where poppler
     * is not installed (skips on a developer's machine).
     */
    private static Optional<String> pdftotext(byte[] pdf) throws Exception {
        return poppler("pdftotext", pdf, "-raw", "-enc", "UTF-8");
    }

    /**
     * Runs a poppler tool on the PDF with its output to stdout, and insists on a clean run: exit status 0 and
     * nothing on stderr (poppler reports what it finds wrong in a file there). Empty where the tool is missing,
     * except on CI.
     */
    private static Optional<String> poppler(String tool, byte[] pdf, String... options) throws Exception {
        Optional<Path> executable = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
        if (executable.isEmpty()) {
            SharedData.skipOutsideCi(tool + " (poppler-utils) is not installed");
        }
        Path file = Files.createTempFile("searchable", ".pdf");
        try {
            Files.write(file, pdf);
            List<String> command = new ArrayList<>(List.of(executable.get().toString()));
            command.addAll(List.of(options));
            command.add(file.toString());
            if (tool.equals("pdftotext")) {
                command.add("-");
            }
            Path errors = Files.createTempFile("poppler", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
                // -bbox says so of a page without text, which is no fault of the file
                String err = Files.readString(errors).replace("no word list\n", "");
                assertEquals(0, process.exitValue(), tool + ": " + err);
                assertEquals("", err, tool + " complained about the file");
                return Optional.of(out);
            } finally {
                Files.deleteIfExists(errors);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The mean absolute difference of two images' RGB samples, 0 to 255. */
    private static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static String collapsed(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static int[][] box(int left, int top, int right, int bottom) {
        return new int[][]{{left, top}, {right, top}, {right, bottom}, {left, bottom}};
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** Lines of text, one under another. */
    private static byte[] drawn(String... lines) {
        return DrawnPage.png(1000, 140 + 110 * lines.length, g -> {
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], 60, 140 + 110 * i);
            }
        });
    }
}
