package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * A TIFF of several frames (a fax, a scanned file), read by the JDK's own TIFF plugin: it counts the frames and
 * reads each one's size by walking the directory chain, without decoding; OpenCV's frame count takes only a
 * file name. Each selected frame becomes a PNG part at intake (lossless), checked against the pixel limit first.
 */
public final class TiffDocument implements Document {

    private final ImageReader reader;
    private final int frames;
    private final long maxPixels;

    private TiffDocument(ImageReader reader, int frames, long maxPixels) {
        this.reader = reader;
        this.frames = frames;
        this.maxPixels = maxPixels;
    }

    /** Whether {@code bytes} start as a TIFF does (either byte order). */
    public static boolean isTiff(byte[] bytes) {
        return bytes != null && bytes.length >= 4 && ((bytes[0] == 'I' && bytes[1] == 'I' && bytes[2] == 42
                && bytes[3] == 0) || (bytes[0] == 'M' && bytes[1] == 'M' && bytes[2] == 0 && bytes[3] == 42));
    }

    /**
     * The TIFF as a document when it has more than one frame; empty for a single image, which stays on the
     * image path.
     *
     * @throws ImageRejectedException its directory chain cannot be read
     */
    public static Optional<TiffDocument> openIfMultiPage(byte[] bytes, long maxPixels) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
        if (!readers.hasNext()) {
            throw new IllegalStateException("the JDK's TIFF reader is missing");
        }
        ImageReader reader = readers.next();
        try {
            ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes));
            reader.setInput(input, false, true);
            int frames = reader.getNumImages(true);
            if (frames > 1) {
                return Optional.of(new TiffDocument(reader, frames, maxPixels));
            }
        } catch (IOException | RuntimeException e) {
            reader.dispose();
            throw new ImageRejectedException(Reason.DOCUMENT_UNREADABLE, "The TIFF cannot be read: "
                    + (e.getMessage() == null ? "its directories are malformed" : e.getMessage()));
        }
        reader.dispose();
        return Optional.empty();
    }

    @Override
    public int pageCount() {
        return frames;
    }

    @Override
    public byte[] part(int page) {
        int frame = page - 1;
        try {
            long pixels = (long) reader.getWidth(frame) * reader.getHeight(frame);
            if (pixels > maxPixels) {
                throw new ImageRejectedException(Reason.TOO_LARGE, "Page " + page + " of the TIFF is "
                        + reader.getWidth(frame) + " x " + reader.getHeight(frame) + " = " + pixels
                        + " pixels; the limit is " + maxPixels);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(reader.read(frame), "png", out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            throw new ImageRejectedException(Reason.DOCUMENT_UNREADABLE, "Page " + page + " of the TIFF cannot be read: "
                    + (e.getMessage() == null ? "it is malformed" : e.getMessage()));
        }
    }

    @Override
    public void close() {
        try {
            if (reader.getInput() instanceof ImageInputStream input) {
                input.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close a TIFF's input", e);
        } finally {
            reader.dispose();
        }
    }
}
