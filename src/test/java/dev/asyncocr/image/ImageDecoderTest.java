package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacpp.indexer.UShortIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @ParameterizedTest
    @ValueSource(strings = {".png", ".bmp", ".tiff", ".ppm", ".webp"})
    void losslessFormatsGiveThePixelsBack(String extension) {
        try (Mat original = Images.pattern(9, 13, CV_8UC3);
             Mat decoded = decoder.decode(extension.equals(".webp")
                     ? Images.encode(original, extension, IMWRITE_WEBP_QUALITY, 101)
                     : Images.encode(original, extension))) {
            assertBgr(decoded, 13, 9);
            assertArrayEquals(pixels(original), pixels(decoded), extension);
        }
    }

    @Test
    void jpegIsDecodedToBgr() {
        try (Mat original = Images.pattern(16, 24, CV_8UC3); Mat decoded = decoder.decode(Images.encode(original, ".jpg"))) {
            assertBgr(decoded, 24, 16);
        }
    }

    @Test
    void greyIsExpandedToThreeEqualChannels() {
        try (Mat original = Images.pattern(5, 7, CV_8UC1); Mat decoded = decoder.decode(Images.encode(original, ".png"))) {
            assertBgr(decoded, 7, 5);
            byte[] grey = pixels(original);
            byte[] bgr = pixels(decoded);
            for (int i = 0; i < grey.length; i++) {
                assertEquals(grey[i], bgr[3 * i]);
                assertEquals(grey[i], bgr[3 * i + 1]);
                assertEquals(grey[i], bgr[3 * i + 2]);
            }
        }
    }

    @Test
    void sixteenBitSamplesAreScaledToEightBits() {
        try (Mat deep = new Mat(2, 3, CV_16UC1)) {
            int[] values = {0, 257, 257 * 100, 257 * 200 + 128, 65535, 1000};
            try (UShortIndexer indexer = deep.createIndexer()) {
                for (int i = 0; i < values.length; i++) {
                    indexer.put(i / 3, i % 3, values[i]);
                }
            }
            try (Mat decoded = decoder.decode(Images.encode(deep, ".png"))) {
                assertBgr(decoded, 3, 2);
                byte[] bgr = pixels(decoded);
                int[] expected = {0, 1, 100, 200, 255, 4};
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], bgr[3 * i] & 0xFF, "sample " + values[i]);
                }
            }
        }
    }

    @Test
    void darkTextOnTransparencyLandsOnWhite() {
        // black "ink" fully opaque on one pixel, half transparent on another, the rest fully transparent
        try (Mat bgra = transparent(0, 0, 0); Mat decoded = decoder.decode(Images.encode(bgra, ".png"))) {
            byte[] bgr = pixels(decoded);
            assertPixel(bgr, 0, 0, 0, 0);
            assertNear(127, bgr[3] & 0xFF); // half transparent: half way to white
            assertPixel(bgr, 2, 255, 255, 255);
        }
    }

    @Test
    void lightTextOnTransparencyLandsOnBlack() {
        try (Mat bgra = transparent(255, 255, 255); Mat decoded = decoder.decode(Images.encode(bgra, ".png"))) {
            byte[] bgr = pixels(decoded);
            assertPixel(bgr, 0, 255, 255, 255);
            assertNear(128, bgr[3] & 0xFF);
            assertPixel(bgr, 2, 0, 0, 0);
        }
    }

    @Test
    void greyWithAlphaLandsOnWhite() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[]{40, 255});
        raster.setPixel(1, 0, new int[]{40, 0});
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(new BufferedImage(model, raster, false, null), "png", png));
        try (Mat decoded = decoder.decode(png.toByteArray())) {
            assertBgr(decoded, 2, 1);
            byte[] bgr = pixels(decoded);
            assertPixel(bgr, 0, 40, 40, 40);
            assertPixel(bgr, 1, 255, 255, 255);
        }
    }

    @Test
    void exifOrientationIsApplied() {
        try (Mat original = Images.pattern(4, 6, CV_8UC3)) {
            byte[] png = Images.encode(original, ".png");
            for (int orientation = 1; orientation <= 8; orientation++) {
                byte[] tagged = withPngExif(png, orientation);
                try (Mat decoded = decoder.decode(tagged)) {
                    boolean swaps = orientation >= 5;
                    assertBgr(decoded, swaps ? 4 : 6, swaps ? 6 : 4);
                    // where the stored top-left pixel lands for each orientation (EXIF 2.32, table of Orientation)
                    int[] corner = switch (orientation) {
                        case 1, 5 -> new int[]{0, 0};
                        case 2 -> new int[]{5, 0};
                        case 3 -> new int[]{5, 3};
                        case 4 -> new int[]{0, 3};
                        case 6 -> new int[]{3, 0};
                        case 7 -> new int[]{3, 5};
                        default -> new int[]{0, 5};
                    };
                    assertEquals(pixel(original, 0, 0), pixel(decoded, corner[0], corner[1]), "orientation " + orientation);
                }
            }
        }
    }

    @Test
    void tooManyPixelsAreRefusedFromTheHeader() {
        // a 1-bit 20000x20000 PNG: 50 kB on the wire, 1.2 GB once decoded to BGR
        byte[] bomb = Images.png(20_000, 20_000, 0, 1, new byte[2500 * 20_000]);
        assertTrue(bomb.length < 100_000, "bomb size " + bomb.length);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(bomb));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
    }

    /** Found by {@link ImageDecoderFuzzTest}: OpenCV allocated the declared 4 GB, for seconds per 80-byte file. */
    @Test
    void pngChunkDeclaringMoreThanTheFileHoldsIsRefusedBeforeDecoding() {
        byte[] png = Images.png(4, 3, 0, 8, new byte[12]);
        java.nio.ByteBuffer.wrap(png).putInt(33, 0xFFFFFFED); // IDAT's length: the chunk after IHDR
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(png));
        assertEquals(Reason.UNDECODABLE, e.reason());
        assertTrue(e.getMessage().contains("chunk IDAT at offset 33 declares 4294967277 bytes"), e.getMessage());
    }

    @Test
    void notImagesAreRejectedWithTheirReason() {
        assertReason(Reason.UNDECODABLE, "plain text, not an image".getBytes());
        assertReason(Reason.UNDECODABLE, new byte[0]);
        assertReason(Reason.UNSUPPORTED_FORMAT, "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj".getBytes());
        byte[] png = Images.sample(50, 60, CV_8UC3, ".png");
        assertReason(Reason.UNDECODABLE, Arrays.copyOf(png, png.length / 2));
    }

    /** Damaged images of every format end in a decoded image or a rejection, never anything else. */
    @Test
    void damagedImagesNeverEscapeAsOtherErrors() {
        Random random = new Random(20261125);
        int decoded = 0;
        for (int i = 0; i < 400; i++) {
            var samples = Images.validSamples();
            byte[] input = Images.mutate(samples.get(i % samples.size()), random);
            try (Mat image = decoder.decode(input)) {
                assertEquals(CV_8UC3, image.type());
                decoded++;
            } catch (ImageRejectedException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("iteration " + i + " threw " + e, e);
            }
        }
        assertTrue(decoded > 0, "some damage leaves a decodable image");
    }

    // ---- helpers

    private static Mat transparent(int b, int g, int r) {
        Mat bgra = new Mat(1, 3, CV_8UC4);
        try (UByteIndexer indexer = bgra.createIndexer()) {
            int[] alpha = {255, 128, 0};
            for (int x = 0; x < 3; x++) {
                indexer.put(0, x, 0, b);
                indexer.put(0, x, 1, g);
                indexer.put(0, x, 2, r);
                indexer.put(0, x, 3, alpha[x]);
            }
        }
        return bgra;
    }

    private static byte[] withPngExif(byte[] png, int orientation) {
        // eXIf goes before IDAT; IHDR ends at byte 33 (signature 8 + length 4 + type 4 + data 13 + CRC 4)
        byte[] chunk = Images.chunk("eXIf", Images.exif(true, orientation));
        byte[] out = new byte[png.length + chunk.length];
        System.arraycopy(png, 0, out, 0, 33);
        System.arraycopy(chunk, 0, out, 33, chunk.length);
        System.arraycopy(png, 33, out, 33 + chunk.length, png.length - 33);
        return out;
    }

    private void assertReason(Reason reason, byte[] input) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(input));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static void assertNear(int expected, int actual) {
        assertTrue(Math.abs(expected - actual) <= 1, "expected about " + expected + ", got " + actual);
    }

    private static void assertBgr(Mat image, int width, int height) {
        assertEquals(CV_8U, image.depth());
        assertEquals(3, image.channels());
        assertEquals(width, image.cols());
        assertEquals(height, image.rows());
    }

    private static void assertPixel(byte[] bgr, int index, int b, int g, int r) {
        assertArrayEquals(new int[]{b, g, r},
                new int[]{bgr[3 * index] & 0xFF, bgr[3 * index + 1] & 0xFF, bgr[3 * index + 2] & 0xFF}, "pixel " + index);
    }

    private static String pixel(Mat image, int x, int y) {
        try (UByteIndexer indexer = image.createIndexer()) {
            return indexer.get(y, x, 0) + "," + indexer.get(y, x, 1) + "," + indexer.get(y, x, 2);
        }
    }

    private static byte[] pixels(Mat image) {
        assertTrue(image.isContinuous());
        byte[] out = new byte[(int) (image.total() * image.channels())];
        try (BytePointer data = image.data()) {
            data.get(out);
        }
        return out;
    }
}
