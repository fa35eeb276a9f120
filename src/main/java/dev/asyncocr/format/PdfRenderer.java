package dev.asyncocr.format;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.ImageFormat;
import dev.asyncocr.image.ImageHeader;
import dev.asyncocr.image.PageFrame;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.OcrWord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.multipdf.PDFCloneUtility;
import org.apache.pdfbox.pdfwriter.ContentStreamWriter;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.bytedeco.opencv.opencv_core.Mat;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A searchable PDF: a page per result page, showing its source (the image or PDF page it was read from) with an
 * invisible text layer (render mode 3) that places each word on its box, scaled horizontally to the box's
 * width, in the {@link GlyphlessFont}. Text extraction (copy, search, {@code pdftotext}) gives back the
 * lines in reading order; between words of a line the layer holds the line's own separators, a space
 * spanning the gap up to the next word, and closes the gap where the line has none (between CJK
 * characters), so that no extractor infers a space the text does not have.
 * <p>
 * A page of a submitted PDF is that page as it was, the text laid over it; a page whose text is its own (taken
 * from its text layer) gets no second layer.
 * <p>
 * A page is the image's size at its resolution (JFIF, pHYs, TIFF or BMP header) or, when it states none,
 * at {@value #DEFAULT_DPI} DPI (a pixel a point). A failed page of a document shows its source without
 * text; a page without a source is blank under its text, and skipped when it failed too.
 * <p>
 * The document is built with its streams in a temporary file, not the heap, and written at the end: a
 * PDF's cross-reference table comes after its objects, so nothing is sent before every page is built.
 */
final class PdfRenderer {

    static final int DEFAULT_DPI = 72;
    /** Resolutions outside this range are taken for missing or broken headers. */
    private static final double MIN_DPI = 36;
    private static final double MAX_DPI = 4800;
    private static final double POINTS_PER_INCH = 72;
    private static final COSName FONT = COSName.getPDFName("F1");
    /** Decodes images other than JPEG to embed them losslessly; they passed the pixel limit when submitted. */
    private static final ImageDecoder DECODER = new ImageDecoder(Long.MAX_VALUE);

    private PdfRenderer() {
    }

    static void write(List<ResultPage> pages, PageSources sources, OutputStream out) throws IOException {
        try (PDDocument document = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            GlyphlessFont font = new GlyphlessFont(document);
            for (ResultPage page : pages) {
                Optional<PageSource> source = sources.of(page.number());
                if (source.isPresent() && source.get() instanceof PageSource.PdfPage pdfPage) {
                    document.addPage(overlaid(document, font, pdfPage.part(), page));
                } else if (source.isPresent() || !page.failed()) {
                    document.addPage(page(document, font, source, page));
                }
            }
            font.finish();
            document.save(out, CompressParameters.NO_COMPRESSION);
        }
    }

    private static PDPage page(PDDocument document, GlyphlessFont font, Optional<PageSource> source,
            ResultPage page) throws IOException {
        PDResources resources = new PDResources();
        COSDictionary fonts = new COSDictionary();
        fonts.setItem(FONT, font.dictionary());
        resources.getCOSObject().setItem(COSName.FONT, fonts);
        COSStream contents = document.getDocument().createCOSStream();
        PDRectangle size;
        try (OutputStream stream = contents.createOutputStream(COSName.FLATE_DECODE)) {
            ContentStreamWriter content = new ContentStreamWriter(stream);
            Canvas canvas;
            if (source.isPresent() && source.get() instanceof PageSource.Image image) {
                canvas = drawImage(document, resources, content, image.bytes());
            } else {
                canvas = new Canvas(page.result().width(), page.result().height(), DEFAULT_DPI);
            }
            if (!page.failed()) {
                textLayer(content, font, FONT, canvas, page.result());
            }
            size = new PDRectangle((float) canvas.points(canvas.width()), (float) canvas.points(canvas.height()));
        }
        PDPage pdfPage = new PDPage(size);
        pdfPage.setResources(resources);
        pdfPage.getCOSObject().setItem(COSName.CONTENTS, contents);
        return pdfPage;
    }

    /**
     * A submitted PDF's page as it is (contents, resources, boxes, rotation: copied into the output, so that the
     * part is closed at once), with the text layer on top unless the text is the page's own or the page failed.
     * The text is written in the shown page's frame, the one the page was rendered and read in, turned onto the
     * page's user space by {@link PageFrame#toUserSpace}.
     */
    private static PDPage overlaid(PDDocument document, GlyphlessFont font, byte[] part, ResultPage page)
            throws IOException {
        PDPage copy;
        try (PDDocument source = Loader.loadPDF(part)) {
            copy = copied(document, source.getPage(0));
        }
        if (page.failed() || page.ownText()) {
            return copy;
        }
        COSDictionary fonts = copy.getResources().getCOSObject().getCOSDictionary(COSName.FONT);
        if (fonts == null) {
            fonts = new COSDictionary();
            copy.getResources().getCOSObject().setItem(COSName.FONT, fonts);
        }
        COSName name = FONT;
        for (int i = 2; fonts.containsKey(name); i++) { // the page's own fonts keep their names
            name = COSName.getPDFName(FONT.getName() + "_" + i);
        }
        fonts.setItem(name, font.dictionary());
        // the page's own contents run in their own graphics state, whatever state they leave
        COSStream before = document.getDocument().createCOSStream();
        try (OutputStream stream = before.createOutputStream()) {
            new ContentStreamWriter(stream).writeTokens(Operator.getOperator("q"));
        }
        COSStream after = document.getDocument().createCOSStream();
        try (OutputStream stream = after.createOutputStream(COSName.FLATE_DECODE)) {
            ContentStreamWriter content = new ContentStreamWriter(stream);
            content.writeTokens(Operator.getOperator("Q"));
            float[][] m = PageFrame.toUserSpace(copy).getValues();
            operator(content, "cm", number(m[0][0]), number(m[0][1]), number(m[1][0]), number(m[1][1]),
                    number(m[2][0]), number(m[2][1]));
            OcrResult result = page.result();
            // the pixels the page was read in span the shown page's width
            double dpi = result.width() * POINTS_PER_INCH / PageFrame.width(copy);
            textLayer(content, font, name, new Canvas(result.width(), result.height(), dpi), result);
        }
        COSArray contents = new COSArray();
        contents.add(before);
        COSBase own = copy.getCOSObject().getDictionaryObject(COSName.CONTENTS);
        if (own instanceof COSArray streams) {
            streams.forEach(contents::add);
        } else if (own != null) {
            contents.add(own);
        }
        contents.add(after);
        copy.getCOSObject().setItem(COSName.CONTENTS, contents);
        return copy;
    }

    /**
     * A deep copy of {@code page} in {@code document}, without its place in its own page tree, with the attributes
     * it may inherit from that tree made its own. Changes {@code page}'s annotations.
     */
    private static PDPage copied(PDDocument document, PDPage page) throws IOException {
        for (PDAnnotation annotation : page.getAnnotations()) {
            // its optional link back to the page would copy the page, and its page tree, a second time
            annotation.getCOSObject().removeItem(COSName.P);
        }
        PDFCloneUtility cloner = new PDFCloneUtility(document) { // its constructor is protected, for this use
        };
        COSDictionary dictionary = new COSDictionary();
        for (Map.Entry<COSName, COSBase> entry : page.getCOSObject().entrySet()) {
            if (!COSName.PARENT.equals(entry.getKey())) {
                dictionary.setItem(entry.getKey(), cloner.cloneForNewDocument(entry.getValue()));
            }
        }
        PDPage copy = new PDPage(dictionary);
        copy.setMediaBox(page.getMediaBox());
        copy.setCropBox(page.getCropBox());
        copy.setRotation(page.getRotation());
        PDResources resources = page.getResources();
        copy.setResources(resources == null ? new PDResources()
                : new PDResources(cloner.cloneForNewDocument(resources.getCOSObject())));
        return copy;
    }

    /**
     * The page's pixel frame (the image upright, as the result's boxes are) and its resolution.
     */
    private record Canvas(int width, int height, double dpi) {

        double points(double pixels) {
            return pixels * POINTS_PER_INCH / dpi;
        }

        /** The PDF y (from the bottom) of a pixel row (from the top). */
        double y(double row) {
            return points(height - row);
        }
    }

    /** Draws the image over the whole page: a JPEG as it came, turned by its EXIF orientation; others losslessly. */
    private static Canvas drawImage(PDDocument document, PDResources resources, ContentStreamWriter content,
            byte[] bytes) throws IOException {
        ImageHeader header = ImageHeader.read(bytes);
        double dpi = resolution(bytes);
        PDImageXObject image;
        int orientation;
        if (header.format() == ImageFormat.JPEG) {
            image = JPEGFactory.createFromByteArray(document, bytes);
            orientation = header.orientation();
        } else {
            image = LosslessFactory.createFromImage(document, decoded(bytes));
            orientation = 1; // decoding turned it upright
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swapped = orientation >= 5;
        Canvas canvas = new Canvas(swapped ? h : w, swapped ? w : h, dpi);
        // the image's unit square (its top row at y = 1) to the page: through the stored pixel (u, v) the
        // corner is, that pixel's upright position, and the page's points
        double[] origin = onPage(canvas, orientation, 0, 0, w, h);
        double[] right = onPage(canvas, orientation, 1, 0, w, h);
        double[] up = onPage(canvas, orientation, 0, 1, w, h);
        COSName name = resources.add(image);
        content.writeTokens(Operator.getOperator("q"));
        operator(content, "cm", number(right[0] - origin[0]), number(right[1] - origin[1]),
                number(up[0] - origin[0]), number(up[1] - origin[1]), number(origin[0]), number(origin[1]));
        operator(content, "Do", name);
        content.writeTokens(Operator.getOperator("Q"));
        return canvas;
    }

    /** Where the point (a, b) of an image's unit square lands on the page, the image turned upright. */
    private static double[] onPage(Canvas canvas, int orientation, double a, double b, int w, int h) {
        double u = a * w;
        double v = (1 - b) * h;
        double[] upright = switch (orientation) { // as ImageDecoder turns pixels
            case 2 -> new double[]{w - u, v};
            case 3 -> new double[]{w - u, h - v};
            case 4 -> new double[]{u, h - v};
            case 5 -> new double[]{v, u};
            case 6 -> new double[]{h - v, u};
            case 7 -> new double[]{h - v, w - u};
            case 8 -> new double[]{v, w - u};
            default -> new double[]{u, v};
        };
        return new double[]{canvas.points(upright[0]), canvas.y(upright[1])};
    }

    private static BufferedImage decoded(byte[] bytes) {
        try (Mat bgr = DECODER.decode(bytes); Mat continuous = bgr.isContinuous() ? new Mat(bgr) : bgr.clone()) {
            BufferedImage image = new BufferedImage(continuous.cols(), continuous.rows(), BufferedImage.TYPE_3BYTE_BGR);
            continuous.data().get(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
            return image;
        }
    }

    /** The resolution the image's header states, in DPI, or {@link #DEFAULT_DPI}. */
    static double resolution(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return DEFAULT_DPI;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                IIOMetadata metadata = reader.getImageMetadata(0);
                if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
                    return DEFAULT_DPI;
                }
                NodeList sizes = ((Element) metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName))
                        .getElementsByTagName("HorizontalPixelSize"); // millimetres per pixel
                if (sizes.getLength() == 0) {
                    return DEFAULT_DPI;
                }
                double dpi = 25.4 / Double.parseDouble(((Element) sizes.item(0)).getAttribute("value"));
                return dpi >= MIN_DPI && dpi <= MAX_DPI ? dpi : DEFAULT_DPI;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return DEFAULT_DPI; // a header ImageIO cannot read states no resolution we could use
        }
    }

    /** Every line's words, invisible, each on its box, in the font named {@code name} in the page's resources. */
    private static void textLayer(ContentStreamWriter content, GlyphlessFont font, COSName name, Canvas canvas,
            OcrResult result) throws IOException {
        content.writeTokens(Operator.getOperator("BT"));
        operator(content, "Tr", COSInteger.get(RenderingMode.NEITHER.intValue()));
        for (OcrLine line : result.lines()) {
            if (line.text() == null || line.text().isEmpty()) {
                continue;
            }
            OcrLine worded = line.words().isEmpty() // a result stored before words were kept: the line is one word
                    ? new OcrLine(line.text(), line.confidence(), line.box(), line.angle(),
                    List.of(new OcrWord(line.text(), line.confidence(), line.box())))
                    : line;
            line(content, font, name, canvas, worded);
        }
        content.writeTokens(Operator.getOperator("ET"));
    }

    private static void line(ContentStreamWriter content, GlyphlessFont font, COSName name, Canvas canvas,
            OcrLine line) throws IOException {
        List<OcrWord> words = line.words();
        List<String> separators = LineText.separators(line);
        List<Bounds> boxes = new ArrayList<>(words.size());
        words.forEach(w -> boxes.add(Bounds.of(w.box())));
        for (int i = 0; i < words.size(); i++) {
            Bounds box = boxes.get(i);
            double size = canvas.points(Math.max(box.height(), 1));
            double baseline = canvas.y(box.bottom()) + size * GlyphlessFont.DESCENT / 1000.0;
            double right = box.right();
            boolean last = i + 1 == words.size();
            // a line ends in a space, so that no extractor runs it into a line beside it
            String separator = last ? " " : separators.get(i + 1);
            int nextLeft = last ? box.right() : boxes.get(i + 1).left();
            if (!last && separator.isEmpty() && nextLeft > right) {
                right = nextLeft;
            }
            show(content, font, name, words.get(i).text(), canvas.points(box.left()), baseline,
                    canvas.points(right - box.left()), size);
            if (!separator.isEmpty()) {
                show(content, font, name, separator, canvas.points(right), baseline, canvas.points(Math.max(nextLeft - right, 1)),
                        size);
            }
        }
    }

    /** Shows {@code text} from (x, baseline), its glyphs squeezed or stretched to {@code width} points. */
    private static void show(ContentStreamWriter content, GlyphlessFont font, COSName name, String text, double x,
            double baseline, double width, double size) throws IOException {
        int glyphs = GlyphlessFont.glyphs(text);
        if (glyphs == 0 || width <= 0) {
            return;
        }
        double naturalWidth = glyphs * size * GlyphlessFont.ADVANCE / 1000.0;
        operator(content, "Tf", name, number(size));
        operator(content, "Tm", number(1), number(0), number(0), number(1), number(x), number(baseline));
        operator(content, "Tz", number(100 * width / naturalWidth));
        operator(content, "Tj", new COSString(font.encode(text)));
    }

    private static void operator(ContentStreamWriter content, String operator, COSBase... operands) throws IOException {
        for (COSBase operand : operands) {
            content.writeToken(operand);
        }
        content.writeToken(Operator.getOperator(operator));
    }

    private static COSFloat number(double value) {
        return new COSFloat((float) value);
    }
}
