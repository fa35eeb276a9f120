package dev.asyncocr.testing;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** A white page that a test writes black, anti-aliased text on. */
public final class DrawnPage {

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 64);

    private DrawnPage() {
    }

    /** The PNG of a {@code width} x {@code height} page that {@code writer} wrote on in a 64-pixel sans-serif. */
    public static byte[] png(int width, int height, Consumer<Graphics2D> writer) {
        BufferedImage image = image(width, height, FONT, writer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A {@code width} x {@code height} page that {@code writer} wrote on in {@code font}. */
    public static BufferedImage image(int width, int height, Font font, Consumer<Graphics2D> writer) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(font);
            writer.accept(g);
        } finally {
            g.dispose();
        }
        return image;
    }
}
