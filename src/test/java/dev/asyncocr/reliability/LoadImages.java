package dev.asyncocr.reliability;

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
import java.util.Arrays;

/**
 * The mixed small images of the load tests, drawn here with Java2D: one line of text per job (a word and
 * the job's number, so that a result can be told from another job's), in three font families and several
 * sizes, on white or grey, as PNG or JPEG. Most jobs are recognition only ({@code det=false&cls=false}: the
 * image is the line, tens of milliseconds on a CPU); every 25th also runs the direction classifier, every
 * 50th the whole pipeline on a small square page, and every 100th is a PNG cut short after its header
 * (accepted, then failed in the worker with {@code IMAGE_UNDECODABLE}).
 */
final class LoadImages {

    private static final String[] WORDS = {"INVOICE", "TOTAL", "ORDER", "PAID", "REF", "ITEM", "DATE", "CODE"};
    private static final String[] FAMILIES = {Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED};

    /** One job: its image, the query options, and the text a correct result holds (null for a broken image). */
    record Job(int number, byte[] image, String contentType, String query, String expectedText) {

        boolean broken() {
            return expectedText == null;
        }

        /** Whether it runs detection: a page, many times a line's work. */
        boolean detects() {
            return !query.contains("det=false");
        }
    }

    private LoadImages() {
    }

    static Job job(int number) {
        String text = WORDS[number % WORDS.length] + " " + (1000 + number);
        if (number % 100 == 99) {
            byte[] png = png(line(text, 24, Font.SANS_SERIF, Color.WHITE));
            return new Job(number, Arrays.copyOf(png, 60), "image/png", "det=false&cls=false", null);
        }
        if (number % 50 == 49) {
            return new Job(number, png(page(text)), "image/png", "cls=false", text);
        }
        Color background = number % 3 == 0 ? new Color(0xE8E8E8) : Color.WHITE;
        BufferedImage line = line(text, 20 + number % 4 * 4, FAMILIES[number % FAMILIES.length], background);
        String query = number % 25 == 24 ? "det=false&cls=true" : "det=false&cls=false";
        return number % 5 == 4
                ? new Job(number, jpeg(line), "image/jpeg", query, text)
                : new Job(number, png(line), "image/png", query, text);
    }

    /** The text as one tight line, as a detector would have cropped it. */
    private static BufferedImage line(String text, int size, String family, Color background) {
        Font font = new Font(family, Font.BOLD, size);
        FontMetrics metrics = metrics(font);
        int width = metrics.stringWidth(text) + size;
        int height = metrics.getHeight() + size / 2;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        draw(image, background, font, text, size / 2, size / 4 + metrics.getAscent());
        return image;
    }

    /** The text on a small square page: detection scales it up to 736 pixels, the cheapest shape for it. */
    private static BufferedImage page(String text) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 28);
        FontMetrics metrics = metrics(font);
        int side = metrics.stringWidth(text) + 60;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        draw(image, Color.WHITE, font, text, 30, side / 2);
        return image;
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static void draw(BufferedImage image, Color background, Font font, String text, int x, int y) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(background);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(font);
            g.drawString(text, x, y);
        } finally {
            g.dispose();
        }
    }

    private static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    private static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpeg");
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
