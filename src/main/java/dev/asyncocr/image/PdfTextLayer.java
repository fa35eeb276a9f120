package dev.asyncocr.image;

import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.contentstream.operator.OperatorName;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.apache.pdfbox.util.Matrix;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PDF page's own text layer, read with PDFBox's {@link PDFTextStripper} (lines in reading order, each glyph's
 * position), and whether it is a real one, to be taken instead of recognising the page. A layer is real when
 * <ul>
 * <li>it has at least {@value #MIN_CHARACTERS} characters (whitespace aside): a page number or a stamp alone is
 * not the page's text;</li>
 * <li>at most {@value #MAX_UNMAPPED_SHARE} of them are unmappable (a glyph without Unicode, U+FFFD, a control or
 * private-use character): a font without a usable ToUnicode extracts as garbage;</li>
 * <li>and, on a page that images cover a share of ({@value #IMAGES} or more: a scan, a photo, not a logo),
 * its glyphs cover at least {@value #MIN_TEXT_COVERAGE_OVER_IMAGES} of the page: a text layer over the scan,
 * not a few stray characters (a Bates number, a stamp, a header) laid on it. Recognising such a page reads
 * its images' text as well as the rest.</li>
 * </ul>
 * Invisible text (render mode 3) counts like visible text: it is how an earlier OCR made a scan searchable, and
 * taking it keeps a searchable PDF made from the job free of a second, doubled layer ({@code text_layer=ocr}
 * reads such a page again).
 */
final class PdfTextLayer {

    static final int MIN_CHARACTERS = 10;
    static final double MAX_UNMAPPED_SHARE = 0.05;
    /** A page at least this much covered by images may hold text in them. */
    static final double IMAGES = 0.05;
    static final double MIN_TEXT_COVERAGE_OVER_IMAGES = 0.02;
    /** A glyph's box spans its font size: this much above the baseline, the rest below (as the glyphless font's). */
    private static final double ASCENT = 0.8;
    private static final double POINTS_PER_INCH = 72;

    private PdfTextLayer() {
    }

    /**
     * What the layer holds, measured.
     *
     * @param characters    its characters, whitespace aside
     * @param unmapped      how many of them are unmappable
     * @param textCoverage  the share of the page its glyphs' boxes cover
     * @param imageCoverage the share of the page images cover
     */
    record Measure(int characters, int unmapped, double textCoverage, double imageCoverage) {

        boolean real() {
            return characters >= MIN_CHARACTERS && unmapped <= MAX_UNMAPPED_SHARE * characters
                    && (imageCoverage < IMAGES || textCoverage >= MIN_TEXT_COVERAGE_OVER_IMAGES);
        }
    }

    /** The layer of a one-page PDF and its measure. */
    record Reading(PageText text, Measure measure) {
    }

    /** Reads the only page of {@code pdf}, its text placed in the pixels of the page rendered at {@code dpi}. */
    static Reading read(PDDocument pdf, int dpi) throws IOException {
        Collector collector = new Collector(pdf.getPage(0), dpi / POINTS_PER_INCH);
        collector.getText(pdf);
        collector.endLine();
        return new Reading(new PageText(collector.width, collector.height, collector.lines), collector.measure());
    }

    /** The text in the stripper's reading order: each line as its words, split at whitespace. */
    private static final class Collector extends PDFTextStripper {

        private final double scale;
        private final Rectangle2D page;
        private final int width;
        private final int height;
        private final List<PageText.Line> lines = new ArrayList<>();
        private List<PageText.Word> line = new ArrayList<>();
        private int characters;
        private int unmapped;
        private double glyphArea;
        private double imageArea;

        Collector(PDPage page, double scale) {
            this.scale = scale;
            PDRectangle crop = page.getCropBox();
            this.page = new Rectangle2D.Double(crop.getLowerLeftX(), crop.getLowerLeftY(), crop.getWidth(),
                    crop.getHeight());
            // as PDFRenderer sizes the image it renders
            this.width = (int) Math.max(Math.floor(PageFrame.width(page) * scale), 1);
            this.height = (int) Math.max(Math.floor(PageFrame.height(page) * scale), 1);
            setSortByPosition(true);
        }

        Measure measure() {
            double area = page.getWidth() * page.getHeight();
            return new Measure(characters, unmapped, Math.min(1, glyphArea / area), Math.min(1, imageArea / area));
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            if (OperatorName.DRAW_OBJECT.equals(operator.getName()) && !operands.isEmpty()
                    && operands.get(0) instanceof COSName name && getResources() != null
                    && getResources().isImageXObject(name)) {
                imageArea += onPage(getGraphicsState().getCurrentTransformationMatrix());
            }
            super.processOperator(operator, operands);
        }

        /** The area of the page that the unit square (an image) covers under {@code ctm}. */
        private double onPage(Matrix ctm) {
            Rectangle2D drawn = null;
            for (double[] corner : new double[][]{{0, 0}, {1, 0}, {1, 1}, {0, 1}}) {
                Point2D.Float point = ctm.transformPoint((float) corner[0], (float) corner[1]);
                if (drawn == null) {
                    drawn = new Rectangle2D.Double(point.x, point.y, 0, 0);
                } else {
                    drawn.add(point);
                }
            }
            Rectangle2D visible = drawn.createIntersection(page);
            return visible.isEmpty() ? 0 : visible.getWidth() * visible.getHeight();
        }

        /** One stretch of a line as the stripper found it: positions on the page (upright, from its top left). */
        @Override
        protected void writeString(String text, List<TextPosition> positions) {
            List<TextPosition> word = new ArrayList<>();
            for (TextPosition position : positions) {
                String unicode = position.getUnicode();
                if (unicode != null && !unicode.isEmpty() && unicode.isBlank()) {
                    addWord(word);
                    word = new ArrayList<>();
                    continue;
                }
                characters++;
                if (unmappable(unicode)) {
                    unmapped++;
                }
                glyphArea += position.getWidthDirAdj() * size(position);
                word.add(position);
            }
            addWord(word);
        }

        @Override
        protected void writeLineSeparator() {
            endLine();
        }

        void endLine() {
            if (!line.isEmpty()) {
                lines.add(new PageText.Line(line));
                line = new ArrayList<>();
            }
        }

        private void addWord(List<TextPosition> glyphs) {
            if (glyphs.isEmpty()) {
                return;
            }
            StringBuilder text = new StringBuilder();
            double left = Double.MAX_VALUE, top = Double.MAX_VALUE, right = -Double.MAX_VALUE, bottom = -Double.MAX_VALUE;
            for (TextPosition glyph : glyphs) {
                text.append(glyph.getUnicode() == null ? "" : glyph.getUnicode());
                double size = size(glyph);
                left = Math.min(left, glyph.getX());
                right = Math.max(right, glyph.getX() + glyph.getWidthDirAdj());
                top = Math.min(top, glyph.getY() - ASCENT * size);
                bottom = Math.max(bottom, glyph.getY() + (1 - ASCENT) * size);
            }
            line.add(new PageText.Word(text.toString(), pixel(left, width), pixel(top, height),
                    pixel(right, width), pixel(bottom, height)));
        }

        private int pixel(double points, int limit) {
            return (int) Math.max(0, Math.min(limit, Math.round(points * scale)));
        }

        /** The glyph's font size in points, or its height where a font states none. */
        private static double size(TextPosition glyph) {
            return glyph.getFontSizeInPt() > 0 ? glyph.getFontSizeInPt() : glyph.getHeightDir();
        }

        private static boolean unmappable(String unicode) {
            return unicode == null || unicode.isEmpty() || unicode.chars().anyMatch(c -> c == '\uFFFD'
                    || Character.isISOControl(c) || Character.getType(c) == Character.PRIVATE_USE);
        }
    }
}
