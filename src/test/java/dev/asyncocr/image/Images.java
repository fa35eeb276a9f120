package dev.asyncocr.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/** Test images: encoded by OpenCV, or made by hand where OpenCV cannot write the variant. */
public final class Images {

    private Images() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Deterministic, non-uniform content so that geometry and channel order show in the pixels. */
    static Mat pattern(int rows, int cols, int type) {
        Mat mat = new Mat(rows, cols, type);
        try (UByteIndexer pixels = mat.createIndexer()) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    for (int c = 0; c < mat.channels(); c++) {
                        pixels.put(y, x, c, (y * 37 + x * 11 + c * 70) & 0xFF);
                    }
                }
            }
        }
        return mat;
    }

    /** {@link #pattern} encoded. */
    static byte[] sample(int rows, int cols, int type, String extension, int... params) {
        try (Mat image = pattern(rows, cols, type)) {
            return encode(image, extension, params);
        }
    }

    public static byte[] encode(Mat image, String extension, int... params) {
        try (BytePointer out = new BytePointer(); IntPointer p = new IntPointer(params)) {
            if (!imencode(extension, image, out, p)) {
                throw new AssertionError("imencode " + extension + " failed");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** One of each format we read, small, with IFDs and headers complete. */
    static List<byte[]> validSamples() {
        return List.of(
                sample(5, 7, CV_8UC3, ".png"),
                withExif(sample(5, 7, CV_8UC3, ".jpg"), exif(false, 6)),
                sample(5, 7, CV_8UC3, ".bmp"),
                tiff(true, 3, 2, 1, new byte[6], 3, false),
                tiff(false, 3, 2, 1, new byte[6], 6, true),
                sample(5, 7, CV_8UC3, ".webp", IMWRITE_WEBP_QUALITY, 80),
                sample(5, 7, CV_8UC3, ".webp", IMWRITE_WEBP_QUALITY, 101),
                sample(5, 7, CV_8UC1, ".pgm"),
                sample(5, 7, CV_8UC3, ".gif"));
    }

    static byte[] mutate(byte[] sample, Random random) {
        byte[] data = sample.clone();
        int span = Math.min(data.length, 80);
        switch (random.nextInt(4)) {
            case 0 -> data = Arrays.copyOf(data, random.nextInt(data.length));
            case 1 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    data[random.nextInt(span)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                byte[] extremes = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1};
                data[random.nextInt(span)] = extremes[random.nextInt(extremes.length)];
                data = Arrays.copyOf(data, Math.max(1, data.length - random.nextInt(16)));
            }
            default -> {
                int at = random.nextInt(span);
                data[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return data;
    }

    /** A PNG made by hand: any colour type and bit depth, with extra chunks before IDAT. */
    static byte[] png(int width, int height, int colorType, int bitDepth, byte[] samples, byte[]... extraChunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colorType).put(new byte[3]).array()));
        for (byte[] extra : extraChunks) {
            out.writeBytes(extra);
        }
        int rowBytes = samples.length / height;
        ByteArrayOutputStream filtered = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            filtered.write(0); // filter type None
            filtered.write(samples, y * rowBytes, rowBytes);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(filtered.toByteArray());
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        out.writeBytes(chunk("IDAT", compressed.toByteArray()));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] chunk(String type, byte[] data) {
        byte[] name = ascii(type);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data).putInt((int) crc.getValue()).array();
    }

    /** A minimal EXIF block (a TIFF header and IFD0 with one Orientation entry). */
    static byte[] exif(boolean little, int orientation) {
        ByteBuffer b = ByteBuffer.allocate(26).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(little ? new byte[]{'I', 'I'} : new byte[]{'M', 'M'}).putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    /** The JPEG with an APP1 EXIF segment inserted right after SOI, where cameras put it. */
    static byte[] withExif(byte[] jpeg, byte[] exif) {
        int length = 2 + 6 + exif.length;
        ByteBuffer b = ByteBuffer.allocate(jpeg.length + 2 + length);
        b.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(ascii("Exif\0\0")).put(exif);
        b.put(jpeg, 2, jpeg.length - 2);
        return b.array();
    }

    /** A BMP turned top-down: negative height, rows reversed. */
    static byte[] topDown(byte[] bmp) {
        ByteBuffer b = ByteBuffer.wrap(bmp.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int offset = b.getInt(10);
        int width = b.getInt(18);
        int height = b.getInt(22);
        int bytesPerPixel = b.getShort(28) / 8;
        int stride = (width * bytesPerPixel + 3) & ~3;
        b.putInt(22, -height);
        byte[] out = b.array();
        for (int y = 0; y < height; y++) {
            System.arraycopy(bmp, offset + y * stride, out, offset + (height - 1 - y) * stride, stride);
        }
        return out;
    }

    /** A 24-bit OS/2 BMP with a BITMAPCOREHEADER; {@code bgr} rows bottom-up, unpadded width*3. */
    static byte[] coreBmp(int width, int height, byte[] bgr) {
        int stride = (width * 3 + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(14 + 12 + stride * height).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("BM")).putInt(b.capacity()).putInt(0).putInt(26);
        b.putInt(12).putShort((short) width).putShort((short) height).putShort((short) 1).putShort((short) 24);
        for (int y = 0; y < height; y++) {
            b.position(26 + y * stride);
            b.put(bgr, y * width * 3, width * 3);
        }
        return b.array();
    }

    /**
     * An uncompressed 8-bit TIFF made by hand (OpenCV writes only one byte order and no orientation):
     * {@code samples} 1 (grey) or 2 (grey and alpha), orientation 0 for none.
     */
    static byte[] tiff(boolean little, int width, int height, int samples, byte[] pixels, int orientation, boolean longSizes) {
        int entries = (orientation > 0 ? 10 : 9) + (samples == 2 ? 1 : 0);
        int ifdSize = 2 + entries * 12 + 4;
        int dataOffset = 8 + ifdSize;
        ByteBuffer b = ByteBuffer.allocate(dataOffset + pixels.length).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(little ? new byte[]{'I', 'I'} : new byte[]{'M', 'M'}).putShort((short) 42).putInt(8);
        b.putShort((short) entries);
        if (longSizes) {
            longEntry(b, 256, width);
            longEntry(b, 257, height);
        } else {
            shortEntry(b, 256, width, 1);
            shortEntry(b, 257, height, 1);
        }
        shortEntry(b, 258, 8, samples); // BitsPerSample, one per sample: two SHORTs still fit the field
        shortEntry(b, 259, 1, 1); // no compression
        shortEntry(b, 262, 1, 1); // BlackIsZero
        longEntry(b, 273, dataOffset);
        if (orientation > 0) {
            shortEntry(b, 274, orientation, 1);
        }
        shortEntry(b, 277, samples, 1);
        longEntry(b, 278, height);
        longEntry(b, 279, pixels.length);
        if (samples == 2) {
            shortEntry(b, 338, 2, 1); // ExtraSamples: unassociated alpha
        }
        b.putInt(0);
        b.put(pixels);
        return b.array();
    }

    private static void shortEntry(ByteBuffer b, int tag, int value, int count) {
        b.putShort((short) tag).putShort((short) 3).putInt(count).putShort((short) value).putShort((short) (count > 1 ? value : 0));
    }

    private static void longEntry(ByteBuffer b, int tag, int value) {
        b.putShort((short) tag).putShort((short) 4).putInt(1).putInt(value);
    }

    /** A simple-format WebP rewrapped as extended (VP8X) with an EXIF chunk after the image. */
    static byte[] webpWithExif(byte[] webp, int width, int height, byte[] exif) {
        int imageChunk = webp.length - 12;
        int exifChunk = 8 + exif.length + (exif.length & 1);
        ByteBuffer b = ByteBuffer.allocate(12 + 18 + imageChunk + exifChunk).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(b.capacity() - 8).put(ascii("WEBP"));
        b.put(ascii("VP8X")).putInt(10).put((byte) 0x08).put(new byte[3]);
        b.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        b.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        b.put(webp, 12, imageChunk);
        b.put(ascii("EXIF")).putInt(exif.length).put(exif);
        return b.array();
    }
}
