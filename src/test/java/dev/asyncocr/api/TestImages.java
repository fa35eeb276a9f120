package dev.asyncocr.api;

import dev.asyncocr.testing.DrawnPage;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
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

    /** The text drawn as {@link #text} draws it, not yet encoded. */
    static BufferedImage drawn(String text) {
        return draw(text, false);
    }

    private static Png render(String text, boolean square) {
        BufferedImage image = draw(text, square);
        return new Png(png(image), image.getWidth(), image.getHeight());
    }

    private static BufferedImage draw(String text, boolean square) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 72);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D probeGraphics = probe.createGraphics();
        FontMetrics metrics = probeGraphics.getFontMetrics(font);
        int width = metrics.stringWidth(text) + 160;
        int height = square ? width : metrics.getHeight() + 120;
        probeGraphics.dispose();

        return DrawnPage.image(width, height, font,
                g -> g.drawString(text, 80, (height - metrics.getHeight()) / 2 + metrics.getAscent()));
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
        return encode(image, "png");
    }

    /** The image in one of ImageIO's formats: png, jpeg, gif, tiff, bmp. */
    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Several images in one file: the frames of an animated GIF, the pages of a TIFF. */
    static byte[] sequence(String format, BufferedImage... images) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage image : images) {
                writer.writeToSequence(new IIOImage(image, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A four-component (CMYK) JPEG of the same colours, stored inverted as Adobe applications store
     * CMYK: each of C, M, Y is 255 minus the ink, i.e. R, G, B; no black ink (K stored as 255).
     */
    static byte[] cmykJpeg(BufferedImage rgb) {
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, rgb.getWidth(), rgb.getHeight(), 4, null);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int pixel = rgb.getRGB(x, y);
                cmyk.setPixel(x, y, new int[]{(pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF, 255});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(cmyk, null, null), null); // a Raster: written as its 4 components
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The image as a 16-bit greyscale PNG. */
    static byte[] grey16Png(BufferedImage image) {
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return png(grey);
    }
}
