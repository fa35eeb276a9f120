package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ImageHeaderTest {

    // ---- the formats we read

    @Test
    void png() {
        ImageHeader header = ImageHeader.read(Images.sample(5, 7, CV_8UC3, ".png"));
        assertEquals(new ImageHeader(ImageFormat.PNG, 7, 5, 1), header);
        assertEquals(35, header.pixels());
    }

    @Test
    void pngExifChunkGivesOrientation() {
        byte[] png = Images.png(3, 2, 0, 8, new byte[6], Images.chunk("eXIf", Images.exif(false, 6)));
        ImageHeader header = ImageHeader.read(png);
        assertEquals(new ImageHeader(ImageFormat.PNG, 3, 2, 6), header);
    }

    @Test
    void jpegBaselineAndProgressive() {
        try (Mat image = Images.pattern(9, 16, CV_8UC3)) {
            assertEquals(new ImageHeader(ImageFormat.JPEG, 16, 9, 1), ImageHeader.read(Images.encode(image, ".jpg")));
            // progressive JPEG has its size in SOF2, not SOF0
            assertEquals(new ImageHeader(ImageFormat.JPEG, 16, 9, 1), ImageHeader.read(Images.encode(image, ".jpg", IMWRITE_JPEG_PROGRESSIVE, 1)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifOrientationInBothByteOrders(int orientation) {
        byte[] jpeg = Images.sample(9, 16, CV_8UC3, ".jpg");
        assertEquals(new ImageHeader(ImageFormat.JPEG, 16, 9, orientation), ImageHeader.read(Images.withExif(jpeg, Images.exif(true, orientation))));
        assertEquals(new ImageHeader(ImageFormat.JPEG, 16, 9, orientation), ImageHeader.read(Images.withExif(jpeg, Images.exif(false, orientation))));
    }

    @Test
    void jpegInvalidOrBrokenExifMeansOrientationOne() {
        byte[] jpeg = Images.sample(9, 16, CV_8UC3, ".jpg");
        assertEquals(1, ImageHeader.read(Images.withExif(jpeg, Images.exif(true, 9))).orientation());
        assertEquals(1, ImageHeader.read(Images.withExif(jpeg, Images.exif(true, 0))).orientation());
        byte[] brokenExif = Images.exif(true, 6);
        brokenExif[4] = 0x70; // IFD0 offset far beyond the segment
        assertEquals(new ImageHeader(ImageFormat.JPEG, 16, 9, 1), ImageHeader.read(Images.withExif(jpeg, brokenExif)));
        byte[] notTiff = "garbage, not TIFF".getBytes(StandardCharsets.US_ASCII);
        assertEquals(1, ImageHeader.read(Images.withExif(jpeg, notTiff)).orientation());
    }

    @Test
    void jpegFirstExifSegmentWins() {
        byte[] jpeg = Images.sample(9, 16, CV_8UC3, ".jpg");
        byte[] twice = Images.withExif(Images.withExif(jpeg, Images.exif(true, 3)), Images.exif(true, 6));
        assertEquals(6, ImageHeader.read(twice).orientation());
    }

    @Test
    void jpegWithOrientationStoredAsLong() {
        byte[] exif = Images.exif(false, 0);
        // entry type LONG (4), value 8 in the first four bytes of the big-endian value field
        ByteBuffer.wrap(exif).order(ByteOrder.BIG_ENDIAN).putShort(12, (short) 4).putInt(18, 8);
        byte[] jpeg = Images.withExif(Images.sample(9, 16, CV_8UC3, ".jpg"), exif);
        assertEquals(8, ImageHeader.read(jpeg).orientation());
    }

    @Test
    void bmpBottomUpTopDownAndCoreHeader() {
        byte[] bottomUp = Images.sample(5, 7, CV_8UC3, ".bmp");
        assertEquals(new ImageHeader(ImageFormat.BMP, 7, 5, 1), ImageHeader.read(bottomUp));
        assertEquals(new ImageHeader(ImageFormat.BMP, 7, 5, 1), ImageHeader.read(Images.topDown(bottomUp)));
        assertEquals(new ImageHeader(ImageFormat.BMP, 3, 2, 1), ImageHeader.read(Images.coreBmp(3, 2, new byte[18])));
    }

    @Test
    void tiffBothByteOrdersShortAndLongSizes() {
        byte[] grey = new byte[6];
        assertEquals(new ImageHeader(ImageFormat.TIFF, 3, 2, 1), ImageHeader.read(Images.tiff(true, 3, 2, 1, grey, 0, false)));
        assertEquals(new ImageHeader(ImageFormat.TIFF, 3, 2, 1), ImageHeader.read(Images.tiff(false, 3, 2, 1, grey, 0, false)));
        assertEquals(new ImageHeader(ImageFormat.TIFF, 3, 2, 6), ImageHeader.read(Images.tiff(true, 3, 2, 1, grey, 6, true)));
        assertEquals(new ImageHeader(ImageFormat.TIFF, 3, 2, 8), ImageHeader.read(Images.tiff(false, 3, 2, 1, grey, 8, true)));
        // OpenCV writes its IFD after the pixels
        assertEquals(new ImageHeader(ImageFormat.TIFF, 7, 5, 1), ImageHeader.read(Images.sample(5, 7, CV_8UC3, ".tif")));
    }

    @Test
    void bigTiff() {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 3 * 20 + 8).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[]{'M', 'M'}).putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(16);
        b.putLong(3);
        b.putShort((short) 256).putShort((short) 16).putLong(1).putLong(70_000); // LONG8 width
        b.putShort((short) 257).putShort((short) 3).putLong(1).putShort((short) 20).putShort((short) 0).putInt(0);
        b.putShort((short) 274).putShort((short) 3).putLong(1).putShort((short) 3).putShort((short) 0).putInt(0);
        b.putLong(0);
        assertEquals(new ImageHeader(ImageFormat.TIFF, 70_000, 20, 3), ImageHeader.read(b.array()));
    }

    @Test
    void webpLossyLosslessAndExtended() {
        try (Mat image = Images.pattern(5, 7, CV_8UC3)) {
            byte[] lossy = Images.encode(image, ".webp", IMWRITE_WEBP_QUALITY, 80);
            assertEquals("VP8 ", new String(lossy, 12, 4, StandardCharsets.US_ASCII));
            assertEquals(new ImageHeader(ImageFormat.WEBP, 7, 5, 1), ImageHeader.read(lossy));
            byte[] lossless = Images.encode(image, ".webp", IMWRITE_WEBP_QUALITY, 101);
            assertEquals("VP8L", new String(lossless, 12, 4, StandardCharsets.US_ASCII));
            assertEquals(new ImageHeader(ImageFormat.WEBP, 7, 5, 1), ImageHeader.read(lossless));
            assertEquals(new ImageHeader(ImageFormat.WEBP, 7, 5, 8), ImageHeader.read(Images.webpWithExif(lossless, 7, 5, Images.exif(true, 8))));
        }
    }

    @Test
    void pnmBinaryAsciiAndPam() {
        assertEquals(new ImageHeader(ImageFormat.PNM, 7, 5, 1), ImageHeader.read(Images.sample(5, 7, CV_8UC1, ".pgm")));
        assertEquals(new ImageHeader(ImageFormat.PNM, 7, 5, 1), ImageHeader.read(Images.sample(5, 7, CV_8UC3, ".ppm")));
        assertEquals(new ImageHeader(ImageFormat.PNM, 7, 5, 1), ImageHeader.read(Images.sample(5, 7, CV_8UC3, ".pam")));
        assertEquals(new ImageHeader(ImageFormat.PNM, 3, 2, 1), ImageHeader.read(Images.ascii("P1\n# a comment\n3 # another\n2\n0 1 0\n1 0 1\n")));
        assertEquals(new ImageHeader(ImageFormat.PNM, 300, 200, 1), ImageHeader.read(Images.ascii("P5 300\r\n200 65535\n")));
        assertEquals(new ImageHeader(ImageFormat.PNM, 4, 3, 1),
                ImageHeader.read(Images.ascii("P7\n# pam\nWIDTH 4\nHEIGHT 3\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n")));
    }

    @Test
    void gif() {
        assertEquals(new ImageHeader(ImageFormat.GIF, 7, 5, 1), ImageHeader.read(Images.sample(5, 7, CV_8UC3, ".gif")));
    }

    @Test
    void gifFrameBeyondScreenIsRejected() {
        byte[] gif = Images.sample(5, 7, CV_8UC3, ".gif");
        gif[6] = 3; // logical screen narrower than the frame: OpenCV refuses such files
        assertRejected(Reason.UNDECODABLE, "beyond the 3x5 screen", () -> ImageHeader.read(gif));
    }

    // ---- rejections

    @Test
    void emptyAndNullAreNotImages() {
        assertRejected(Reason.UNDECODABLE, "not an image: empty input", () -> ImageHeader.read(new byte[0]));
        assertRejected(Reason.UNDECODABLE, "not an image", () -> ImageHeader.read(null));
    }

    @Test
    void textAndRandomBytesAreNotImages() {
        assertRejected(Reason.UNDECODABLE, "not an image: unknown signature 3c 68 74 6d 6c 3e", () -> ImageHeader.read(Images.ascii("<html></html>")));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + random.nextInt(512)];
            random.nextBytes(bytes);
            assertRejected(Reason.UNDECODABLE, "", () -> ImageHeader.read(bytes));
        }
    }

    @Test
    void recognisedButUnsupportedFormatsAreNamed() {
        assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported image format: PDF", () -> ImageHeader.read(Images.ascii("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n")));
        assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported image format: HEIC", () -> ImageHeader.read(ftyp("heic", "mif1", "heic")));
        assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported image format: AVIF", () -> ImageHeader.read(ftyp("mif1", "mif1", "avif", "miaf")));
        assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported image format: HEIF", () -> ImageHeader.read(ftyp("mif1", "mif1")));
        assertRejected(Reason.UNSUPPORTED_FORMAT, "ISO base media (brand 'isom')", () -> ImageHeader.read(ftyp("isom", "mp41")));
        assertRejected(Reason.UNSUPPORTED_FORMAT, "JPEG 2000",
                () -> ImageHeader.read(new byte[]{0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n', 0, 0}));
        assertRejected(Reason.UNSUPPORTED_FORMAT, "Photoshop PSD", () -> ImageHeader.read(Images.ascii("8BPS\0\1")));
    }

    @Test
    void zeroSizesAreUndecodable() {
        byte[] png = Images.sample(5, 7, CV_8UC3, ".png");
        Arrays.fill(png, 16, 20, (byte) 0);
        assertRejected(Reason.UNDECODABLE, "invalid PNG header: width is 0", () -> ImageHeader.read(png));
        byte[] jpeg = Images.sample(5, 7, CV_8UC3, ".jpg");
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        jpeg[sof + 5] = 0;
        jpeg[sof + 6] = 0;
        assertRejected(Reason.UNDECODABLE, "invalid JPEG header: height is 0", () -> ImageHeader.read(jpeg));
        assertRejected(Reason.UNDECODABLE, "invalid PNM header: width is 0", () -> ImageHeader.read(Images.ascii("P6\n0 5\n255\n")));
    }

    @Test
    void inconsistentHeadersAreUndecodable() {
        byte[] png = Images.sample(5, 7, CV_8UC3, ".png");
        png[25] = 5; // no such PNG colour type
        assertRejected(Reason.UNDECODABLE, "invalid PNG header: bit depth 8 with colour type 5", () -> ImageHeader.read(png));
        assertRejected(Reason.UNDECODABLE, "invalid BMP header: unknown DIB header size", () -> ImageHeader.read(Images.ascii("BM\0\0\0\0\0\0\0\0\0\0\0\0\7\0\0\0abcdefghijkl")));
        byte[] tiff = Images.tiff(true, 3, 2, 1, new byte[6], 0, false);
        tiff[10 + 12] = (byte) 0xE7; // the ImageLength entry becomes tag 999
        tiff[10 + 13] = 0x03;
        assertRejected(Reason.UNDECODABLE, "invalid TIFF header: IFD0 has no usable ImageLength tag", () -> ImageHeader.read(tiff));
        assertRejected(Reason.UNDECODABLE, "invalid JPEG header: no frame header (SOF) before marker DA",
                () -> ImageHeader.read(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2}));
        assertRejected(Reason.UNDECODABLE, "invalid PNM header: maxval 70000", () -> ImageHeader.read(Images.ascii("P5\n3 2\n70000\n")));
        assertRejected(Reason.UNDECODABLE, "invalid PNM header: unknown PAM header line BOGUS", () -> ImageHeader.read(Images.ascii("P7\nWIDTH 4\nBOGUS 1\nENDHDR\n")));
    }

    @Test
    void sizesBeyondIntAreTooLarge() {
        byte[] tiff = Images.tiff(true, 3, 2, 1, new byte[6], 0, true);
        ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN).putInt(10 + 8, 0xFFFF_FFFF); // ImageWidth value
        assertRejected(Reason.TOO_LARGE, "TIFF width 4294967295", () -> ImageHeader.read(tiff));
        assertRejected(Reason.TOO_LARGE, "PNM width 1099511627776", () -> ImageHeader.read(Images.ascii("P5\n123456789012345678901234567890 2\n255\n")));
    }

    @Test
    void everyTruncatedHeaderIsUndecodable() {
        for (byte[] image : Images.validSamples()) {
            int headerLength = ImageHeaderTest.headerLength(image);
            for (int length = 1; length < headerLength; length++) {
                byte[] prefix = Arrays.copyOf(image, length);
                assertRejected(Reason.UNDECODABLE, "", () -> ImageHeader.read(prefix));
            }
        }
    }

    /** Hostile inputs whose walks could be long: each ends in a clean rejection, in linear time. */
    @Test
    void longMarkerRunsAndChunkChainsEndCleanly() {
        byte[] fill = new byte[2_000_000];
        Arrays.fill(fill, (byte) 0xFF);
        fill[1] = (byte) 0xD8;
        long start = System.nanoTime();
        assertRejected(Reason.UNDECODABLE, "truncated JPEG header", () -> ImageHeader.read(fill));
        byte[] gif = new byte[2_000_000];
        System.arraycopy(Images.ascii("GIF89a\1\0\1\0\0\0\0"), 0, gif, 0, 13);
        for (int i = 13; i < gif.length; i += 3) {
            gif[i] = 0x21; // extensions with one empty sub-block, back to back
        }
        assertRejected(Reason.UNDECODABLE, "", () -> ImageHeader.read(gif));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "header walks must stay linear");
    }

    /** Random damage to valid headers: a header or an ImageRejectedException, nothing else, ever. */
    @Test
    void mutatedHeadersNeverThrowAnythingElse() {
        List<byte[]> samples = Images.validSamples();
        Random random = new Random(20240601);
        int accepted = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] input = Images.mutate(samples.get(random.nextInt(samples.size())), random);
            try {
                ImageHeader header = ImageHeader.read(input);
                assertTrue(header.width() > 0 && header.height() > 0 && header.orientation() >= 1 && header.orientation() <= 8);
                accepted++;
            } catch (ImageRejectedException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("iteration " + i + " threw " + e + " for " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 96)), e);
            }
        }
        assertTrue(accepted > 0, "some mutations leave a readable header");
    }

    // ---- helpers

    static void assertRejected(Reason reason, String messagePart, Executable call, String... alternatives) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        boolean matches = e.getMessage().contains(messagePart) || Arrays.stream(alternatives).anyMatch(e.getMessage()::contains);
        assertTrue(matches, "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
    }

    static byte[] ftyp(String major, String... compatible) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * compatible.length + 8);
        b.putInt(16 + 4 * compatible.length).put(Images.ascii("ftyp")).put(Images.ascii(major)).putInt(0);
        for (String brand : compatible) {
            b.put(Images.ascii(brand));
        }
        return b.array();
    }

    static int indexOf(byte[] data, byte first, byte second) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == first && data[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /** Bytes the header reader needs from the samples of {@link Images#validSamples()}. */
    private static int headerLength(byte[] image) {
        if (image[0] == (byte) 0xFF) {
            return indexOf(image, (byte) 0xFF, (byte) 0xC0) + 9;
        }
        if (image[0] == 'I' || image[0] == 'M') {
            // hand-made samples: IFD0 at 8, its entries right after the count
            ByteBuffer b = ByteBuffer.wrap(image).order(image[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            return 10 + 12 * b.getShort(8);
        }
        if (image[0] == 'R') {
            return image[15] == 'L' ? 25 : 30; // VP8L: signature and packed sizes; VP8: frame tag, start code, sizes
        }
        return switch (image[0]) {
            case (byte) 0x89 -> 26; // PNG: signature, IHDR length, type and the fields through colour type
            case 'B' -> 14 + 40;
            case 'P' -> 11; // "P5\n7 5\n255\n"
            case 'G' -> 13;
            default -> throw new AssertionError("no sample starts with " + image[0]);
        };
    }
}
