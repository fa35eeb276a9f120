package dev.asyncocr.image;

import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.util.Matrix;

/**
 * A PDF page as it is shown: its crop box turned by its {@code /Rotate}, which is the frame a rendered page's pixels
 * are in. Its points run from the shown page's lower left corner, x to the right and y up.
 */
public final class PageFrame {

    private PageFrame() {
    }

    /** The shown page's width in points. */
    public static float width(PDPage page) {
        return turned(page) ? page.getCropBox().getHeight() : page.getCropBox().getWidth();
    }

    /** The shown page's height in points. */
    public static float height(PDPage page) {
        return turned(page) ? page.getCropBox().getWidth() : page.getCropBox().getHeight();
    }

    /** The matrix from the shown page's points to the page's user space (a {@code cm} that draws upright on it). */
    public static Matrix toUserSpace(PDPage page) {
        PDRectangle crop = page.getCropBox();
        float w = crop.getWidth();
        float h = crop.getHeight();
        float x = crop.getLowerLeftX();
        float y = crop.getLowerLeftY();
        // the page is shown turned clockwise by its rotation
        return switch (Math.floorMod(page.getRotation(), 360)) {
            case 90 -> new Matrix(0, 1, -1, 0, x + w, y);
            case 180 -> new Matrix(-1, 0, 0, -1, x + w, y + h);
            case 270 -> new Matrix(0, -1, 1, 0, x, y + h);
            default -> new Matrix(1, 0, 0, 1, x, y);
        };
    }

    private static boolean turned(PDPage page) {
        return Math.floorMod(page.getRotation(), 180) == 90;
    }
}
