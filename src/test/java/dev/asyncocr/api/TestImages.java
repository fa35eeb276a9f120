package dev.asyncocr.api;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Images the API tests draw themselves, so that they need no files. */
final class TestImages {

    /** A PNG and its size in pixels. */
    record Png(byte[] bytes, int width, int height) {
    }

    private TestImages() {
    }

    /** Black text in a large bold sans-serif font, on white, with a generous margin. */
    static Png text(String text) {
        return render(text, false);
    }

    /**
     * The same text on a square page: the cheapest shape for detection, which scales the shorter side
     * up to 736 pixels, for tests that run the whole pipeline many times.
     */
    static Png page(String text) {
        return render(text, true);
    }

    private static Png render(String text, boolean square) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 72);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D probeGraphics = probe.createGraphics();
        FontMetrics metrics = probeGraphics.getFontMetrics(font);
        int width = metrics.stringWidth(text) + 160;
        int height = square ? width : metrics.getHeight() + 120;
        probeGraphics.dispose();

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(font);
            g.drawString(text, 80, (height - metrics.getHeight()) / 2 + metrics.getAscent());
        } finally {
            g.dispose();
        }
        return new Png(png(image), width, height);
    }

    /** A valid, all-white 1-bit PNG of the given size: a few kilobytes however many pixels it has. */
    static Png blank(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        } finally {
            g.dispose();
        }
        return new Png(png(image), width, height);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
