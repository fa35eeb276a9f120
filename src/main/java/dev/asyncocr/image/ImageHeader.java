package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What an encoded image's header says, read without decoding a single pixel, so that size limits are
 * enforced before any pixel memory is allocated (a decompression bomb is a few hundred bytes whose
 * header claims billions of pixels).
 *
 * @param format      the container, recognised from its signature (never from a declared media type)
 * @param width       stored width in pixels, before {@code orientation} is applied
 * @param height      stored height in pixels, before {@code orientation} is applied
 * @param orientation the EXIF orientation 1..8 (JPEG APP1, TIFF IFD0, PNG eXIf, WebP EXIF); 1 when absent or invalid
 */
public record ImageHeader(ImageFormat format, int width, int height, int orientation) {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JP2_SIGNATURE = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n'};
    private static final byte[] JXL_SIGNATURE = {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', '\r', '\n', (byte) 0x87, '\n'};
    private static final String FORMATS_READ = "PNG, JPEG, BMP, TIFF, WebP, PNM, GIF";

    private static final int TAG_WIDTH = 256;
    private static final int TAG_HEIGHT = 257;
    private static final int TAG_ORIENTATION = 274;

    public ImageHeader {
        if (format == null || width <= 0 || height <= 0 || orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("invalid image header " + format + " " + width + "x" + height + " orientation " + orientation);
        }
    }

    /** Stored pixel count; what a decoder allocates (per channel). */
    public long pixels() {
        return (long) width * height;
    }

    /** Whether applying the orientation swaps width and height (orientations 5 to 8). */
    public boolean swapsAxes() {
        return orientation >= 5;
    }

    /**
     * Reads the header of an encoded image.
     *
     * <p>Total over all inputs: any byte array ends in a header or an {@link ImageRejectedException}
     * ({@code UNDECODABLE} for unknown, truncated or inconsistent bytes; {@code UNSUPPORTED_FORMAT} for
     * a recognised format we do not read, e.g. PDF, HEIC, AVIF; {@code TOO_LARGE} for a dimension
     * beyond {@code int}). Runs in time linear in the input at worst, usually a few dozen bytes.
     */
    public static ImageHeader read(byte[] data) {
        if (data == null || data.length == 0) {
            throw undecodable("not an image: empty input");
        }
        Bytes b = new Bytes(data, data.length, "image header");
        if (b.startsWith(0, PNG_SIGNATURE)) {
            return readPng(new Bytes(data, data.length, "PNG header"));
        }
        if (b.startsWith(0, 0xFF, 0xD8, 0xFF)) {
            return readJpeg(new Bytes(data, data.length, "JPEG header"));
        }
        if (b.startsWith(0, 'B', 'M')) {
            return readBmp(new Bytes(data, data.length, "BMP header"));
        }
        if (b.startsWith(0, 'I', 'I', 42, 0) || b.startsWith(0, 'M', 'M', 0, 42)
                || b.startsWith(0, 'I', 'I', 43, 0) || b.startsWith(0, 'M', 'M', 0, 43)) {
            return readTiff(new Bytes(data, data.length, "TIFF header"));
        }
        if (b.startsWith(0, 'R', 'I', 'F', 'F') && b.startsWith(8, 'W', 'E', 'B', 'P')) {
            return readWebp(new Bytes(data, data.length, "WebP header"));
        }
        if (data.length >= 3 && data[0] == 'P' && data[1] >= '1' && data[1] <= '7' && isSpace(data[2])) {
            return readPnm(new Bytes(data, data.length, "PNM header"));
        }
        if (b.startsWith(0, 'G', 'I', 'F', '8', '7', 'a') || b.startsWith(0, 'G', 'I', 'F', '8', '9', 'a')) {
            return readGif(new Bytes(data, data.length, "GIF header"));
        }
        String unsupported = unsupportedFormat(b);
        if (unsupported != null) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT,
                    "unsupported image format: " + unsupported + " (we read " + FORMATS_READ + ")");
        }
        throw undecodable("not an image: unknown signature " + HexFormat.ofDelimiter(" ").formatHex(data, 0, Math.min(data.length, 8)));
    }

    // ---- PNG: the IHDR chunk must come first; eXIf, when present, precedes IDAT.

    private static ImageHeader readPng(Bytes b) {
        if (b.u32be(8) != 13 || !b.startsWith(12, 'I', 'H', 'D', 'R')) {
            b.need(8, 8);
            throw b.invalid("IHDR must be the first chunk");
        }
        long width = b.u32be(16);
        long height = b.u32be(20);
        int bitDepth = b.u8(24);
        int colorType = b.u8(25);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw b.invalid("dimension over 2^31-1");
        }
        boolean depthValid = switch (colorType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
        if (!depthValid) {
            throw b.invalid("bit depth " + bitDepth + " with colour type " + colorType);
        }
        return new ImageHeader(ImageFormat.PNG, dimension(width, "PNG", "width"), dimension(height, "PNG", "height"), pngOrientation(b));
    }

    private static int pngOrientation(Bytes b) {
        long at = 8 + 12 + 13;
        // Each step advances by at least 12 bytes, so the walk ends within the input.
        while (at + 8 <= b.limit) {
            long length = b.u32be(at);
            if (b.startsWith(at + 4, 'I', 'D', 'A', 'T') || b.startsWith(at + 4, 'I', 'E', 'N', 'D') || length > Integer.MAX_VALUE) {
                return 1;
            }
            if (b.startsWith(at + 4, 'e', 'X', 'I', 'f')) {
                return exifOrientation(b.data, at + 8, Math.min(b.limit, at + 8 + length));
            }
            at += 12 + length;
        }
        return 1;
    }

    /**
     * Refuses a PNG with a chunk that declares more bytes than the file holds (truncated, or forged): OpenCV
     * allocates a chunk's declared length before reading it, so 80 bytes declaring a 4 GB chunk would cost
     * gigabytes and seconds of a worker. Not part of {@link #read}, which the API runs at submission and
     * which accepts a truncated file whose header reads; the decoder runs it. Linear in the chunks, up to IEND.
     */
    static void requireWholePngChunks(byte[] png) {
        Bytes b = new Bytes(png, png.length, "PNG");
        long at = 8; // past the signature
        while (at + 8 <= b.limit) {
            long length = b.u32be(at);
            long end = at + 12 + length; // length, type, data, CRC
            if (end > b.limit) {
                String type = new String(png, (int) at + 4, 4, StandardCharsets.ISO_8859_1).replaceAll("[^A-Za-z]", "?");
                throw undecodable("truncated or corrupt PNG: chunk " + type + " at offset " + at + " declares "
                        + length + " bytes of data, the file holds " + Math.max(0, b.limit - at - 12));
            }
            if (b.startsWith(at + 4, 'I', 'E', 'N', 'D')) {
                return;
            }
            at = end;
        }
    }

    // ---- JPEG: walk the marker segments up to the frame header, noting EXIF on the way.

    private static ImageHeader readJpeg(Bytes b) {
        int orientation = 1;
        boolean exifSeen = false;
        long at = 2;
        // Each marker advances by at least two bytes, so the walk ends within the input.
        while (true) {
            if (b.u8(at) != 0xFF) {
                throw b.invalid("no marker at offset " + at);
            }
            while (b.u8(at) == 0xFF) {
                at++; // fill bytes
            }
            int marker = b.u8(at++);
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers carry no length
            }
            if (marker == 0xDA || marker == 0xD9 || marker == 0xD8 || marker == 0x00) {
                throw b.invalid("no frame header (SOF) before marker " + String.format("%02X", marker));
            }
            int length = b.u16be(at);
            if (length < 2) {
                throw b.invalid("segment length " + length);
            }
            b.need(at, length);
            long payload = at + 2;
            if (isStartOfFrame(marker)) {
                if (length < 8) {
                    throw b.invalid("frame header length " + length);
                }
                int height = b.u16be(payload + 1);
                int width = b.u16be(payload + 3);
                return new ImageHeader(ImageFormat.JPEG, dimension(width, "JPEG", "width"), dimension(height, "JPEG", "height"), orientation);
            }
            if (marker == 0xE1 && !exifSeen && length >= 8 && b.startsWith(payload, 'E', 'x', 'i', 'f', 0, 0)) {
                // The first EXIF segment counts, as in libjpeg-based readers and PIL.
                exifSeen = true;
                orientation = exifOrientation(b.data, payload + 6, at + length);
            }
            at += length;
        }
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    // ---- BMP: BITMAPCOREHEADER (12 bytes, unsigned 16-bit sizes) or BITMAPINFOHEADER and its successors.

    private static ImageHeader readBmp(Bytes b) {
        long headerSize = b.u32le(14);
        long width;
        long height;
        if (headerSize == 12) {
            width = b.u16le(18);
            height = b.u16le(20);
        } else if (headerSize == 40 || headerSize == 52 || headerSize == 56 || headerSize == 64 || headerSize == 108 || headerSize == 124) {
            b.need(14, headerSize);
            width = (int) b.u32le(18);
            height = (int) b.u32le(22);
            if (width < 0) {
                throw b.invalid("negative width");
            }
            if (height == Integer.MIN_VALUE) {
                throw b.invalid("height out of range");
            }
            height = Math.abs(height); // negative height: rows stored top-down
        } else {
            throw b.invalid("unknown DIB header size " + headerSize);
        }
        return new ImageHeader(ImageFormat.BMP, dimension(width, "BMP", "width"), dimension(height, "BMP", "height"), 1);
    }

    // ---- TIFF (and BigTIFF): IFD0 describes the first page, the one OpenCV decodes.

    private static ImageHeader readTiff(Bytes b) {
        Ifd0 ifd = readIfd0(b, 0);
        if (ifd.width() < 0 || ifd.height() < 0) {
            throw b.invalid("IFD0 has no usable " + (ifd.width() < 0 ? "ImageWidth" : "ImageLength") + " tag");
        }
        return new ImageHeader(ImageFormat.TIFF, dimension(ifd.width(), "TIFF", "width"), dimension(ifd.height(), "TIFF", "height"),
                validOrientation(ifd.orientation()));
    }

    /** IFD0 values; -1 where a tag is absent or of an unusable type. */
    private record Ifd0(long width, long height, long orientation) {
    }

    /**
     * The one TIFF-structure reader, for TIFF files and EXIF blocks alike (EXIF is a TIFF header and
     * IFDs whose offsets count from {@code base}). Every read is bounds-checked against {@code b.limit};
     * the entry count is checked against the bytes available before the loop.
     */
    private static Ifd0 readIfd0(Bytes b, long base) {
        boolean little;
        int order = b.u16be(base);
        if (order == 0x4949) {
            little = true;
        } else if (order == 0x4D4D) {
            little = false;
        } else {
            throw b.invalid("byte order mark");
        }
        int version = b.u16(base + 2, little);
        boolean big;
        long ifdOffset;
        if (version == 42) {
            big = false;
            ifdOffset = b.u32(base + 4, little);
        } else if (version == 43 && b.u16(base + 4, little) == 8 && b.u16(base + 6, little) == 0) {
            big = true;
            ifdOffset = b.u64(base + 8, little);
        } else {
            throw b.invalid("version " + version);
        }
        long ifd = base + ifdOffset;
        if (ifd < base) {
            throw b.truncated();
        }
        long count = big ? b.u64(ifd, little) : b.u16(ifd, little);
        int entrySize = big ? 20 : 12;
        long entries = ifd + (big ? 8 : 2);
        if (entries > b.limit || count > (b.limit - entries) / entrySize) {
            throw b.truncated();
        }
        long width = -1;
        long height = -1;
        long orientation = -1;
        for (long i = 0; i < count; i++) {
            long entry = entries + i * entrySize;
            int tag = b.u16(entry, little);
            if (tag == TAG_WIDTH) {
                width = firstValue(b, base, entry, little, big);
            } else if (tag == TAG_HEIGHT) {
                height = firstValue(b, base, entry, little, big);
            } else if (tag == TAG_ORIENTATION) {
                orientation = firstValue(b, base, entry, little, big);
            }
        }
        return new Ifd0(width, height, orientation);
    }

    /** The first value of an IFD entry of type SHORT, LONG or LONG8; -1 for other types or no values. */
    private static long firstValue(Bytes b, long base, long entry, boolean little, boolean big) {
        int type = b.u16(entry + 2, little);
        long count = big ? b.u64(entry + 4, little) : b.u32(entry + 4, little);
        int size = switch (type) {
            case 3 -> 2;
            case 4 -> 4;
            case 16 -> 8;
            default -> 0;
        };
        if (size == 0 || count == 0) {
            return -1;
        }
        long field = entry + (big ? 12 : 8);
        int fieldSize = big ? 8 : 4;
        long at = field;
        if (count > fieldSize / size) {
            // values that do not fit the entry live at an offset from the TIFF header
            at = base + (big ? b.u64(field, little) : b.u32(field, little));
            if (at < base) {
                throw b.truncated();
            }
        }
        return switch (size) {
            case 2 -> b.u16(at, little);
            case 4 -> b.u32(at, little);
            default -> b.u64(at, little);
        };
    }

    /** Orientation from an EXIF block (a TIFF structure in [start, end)); 1 when it is unreadable. */
    private static int exifOrientation(byte[] data, long start, long end) {
        Bytes b = new Bytes(data, Math.min(end, data.length), "EXIF data");
        if (b.startsWith(start, 'E', 'x', 'i', 'f', 0, 0)) {
            start += 6; // some writers keep JPEG's APP1 prefix in PNG and WebP EXIF chunks
        }
        try {
            return validOrientation(readIfd0(b, start).orientation());
        } catch (ImageRejectedException e) {
            // A broken EXIF block does not make the pixels unreadable; readers ignore it.
            return 1;
        }
    }

    private static int validOrientation(long value) {
        return value >= 1 && value <= 8 ? (int) value : 1;
    }

    // ---- WebP: lossy (VP8), lossless (VP8L) or extended (VP8X, whose canvas size counts).

    private static ImageHeader readWebp(Bytes b) {
        long width;
        long height;
        int orientation = 1;
        if (b.startsWith(12, 'V', 'P', '8', ' ')) {
            if ((b.u8(20) & 1) != 0 || !b.startsWith(23, 0x9D, 0x01, 0x2A)) {
                b.need(20, 10);
                throw b.invalid("VP8 key frame expected");
            }
            width = b.u16le(26) & 0x3FFF;
            height = b.u16le(28) & 0x3FFF;
        } else if (b.startsWith(12, 'V', 'P', '8', 'L')) {
            if (b.u8(20) != 0x2F) {
                throw b.invalid("VP8L signature");
            }
            long bits = b.u32le(21);
            if ((bits >>> 29) != 0) {
                throw b.invalid("VP8L version " + (bits >>> 29));
            }
            width = (bits & 0x3FFF) + 1;
            height = ((bits >>> 14) & 0x3FFF) + 1;
        } else if (b.startsWith(12, 'V', 'P', '8', 'X')) {
            int flags = b.u8(20);
            width = b.u24le(24) + 1;
            height = b.u24le(27) + 1;
            if ((flags & 0x08) != 0) {
                orientation = webpOrientation(b);
            }
        } else {
            b.need(12, 4);
            throw b.invalid("unknown first chunk " + new String(b.data, 12, 4, StandardCharsets.ISO_8859_1).strip());
        }
        return new ImageHeader(ImageFormat.WEBP, dimension(width, "WebP", "width"), dimension(height, "WebP", "height"), orientation);
    }

    private static int webpOrientation(Bytes b) {
        long at = 12;
        // Each chunk advances by at least 8 bytes, so the walk ends within the input.
        while (at + 8 <= b.limit) {
            long size = b.u32le(at + 4);
            if (b.startsWith(at, 'E', 'X', 'I', 'F')) {
                return exifOrientation(b.data, at + 8, Math.min(b.limit, at + 8 + size));
            }
            at += 8 + size + (size & 1); // chunks are padded to even sizes
        }
        return 1;
    }

    // ---- Netpbm: P1..P6 share one ASCII header; P7 (PAM) has keyword lines up to ENDHDR.

    private static ImageHeader readPnm(Bytes b) {
        PnmTokens tokens = new PnmTokens(b, 3);
        long width;
        long height;
        if (b.data[1] == '7') {
            width = -1;
            height = -1;
            // Every token consumes at least one byte, so the loop ends within the input.
            while (true) {
                String keyword = tokens.word();
                switch (keyword) {
                    case "WIDTH" -> width = tokens.number();
                    case "HEIGHT" -> height = tokens.number();
                    case "DEPTH" -> tokens.number();
                    case "MAXVAL" -> checkMaxval(b, tokens.number());
                    case "TUPLTYPE" -> tokens.skipLine();
                    case "ENDHDR" -> {
                        if (width < 0 || height < 0) {
                            throw b.invalid("PAM header without " + (width < 0 ? "WIDTH" : "HEIGHT"));
                        }
                        return new ImageHeader(ImageFormat.PNM, dimension(width, "PAM", "width"), dimension(height, "PAM", "height"), 1);
                    }
                    default -> throw b.invalid("unknown PAM header line " + keyword);
                }
            }
        }
        width = tokens.number();
        height = tokens.number();
        if (b.data[1] != '1' && b.data[1] != '4') {
            checkMaxval(b, tokens.number()); // PBM has no maxval
        }
        return new ImageHeader(ImageFormat.PNM, dimension(width, "PNM", "width"), dimension(height, "PNM", "height"), 1);
    }

    private static void checkMaxval(Bytes b, long maxval) {
        if (maxval < 1 || maxval > 65535) {
            throw b.invalid("maxval " + maxval);
        }
    }

    /** Netpbm header tokens: whitespace-separated, with '#' comments to the end of the line. */
    private static final class PnmTokens {
        private static final long SATURATED = 1L << 40;
        private final Bytes b;
        private long at;

        PnmTokens(Bytes b, long at) {
            this.b = b;
            this.at = at;
        }

        long number() {
            skipSpaceAndComments();
            long start = at;
            long value = 0;
            while (at < b.limit && isDigit(b.data[(int) at])) {
                // saturate instead of overflowing: any such value is rejected as too large anyway
                value = Math.min(SATURATED, value * 10 + (b.data[(int) at] - '0'));
                at++;
            }
            if (at == start) {
                throw b.invalid("number expected at offset " + start);
            }
            int next = b.u8(at);
            if (!isSpace((byte) next) && next != '#') {
                throw b.invalid("number expected at offset " + start);
            }
            return value;
        }

        String word() {
            skipSpaceAndComments();
            long start = at;
            while (at < b.limit && !isSpace(b.data[(int) at]) && at - start < 16) {
                at++;
            }
            b.need(at, 1);
            return new String(b.data, (int) start, (int) (at - start), StandardCharsets.ISO_8859_1);
        }

        void skipLine() {
            while (b.u8(at) != '\n') {
                at++;
            }
        }

        private void skipSpaceAndComments() {
            while (true) {
                int c = b.u8(at);
                if (c == '#') {
                    while (c != '\n' && c != '\r') {
                        c = b.u8(++at);
                    }
                } else if (isSpace((byte) c)) {
                    at++;
                } else {
                    return;
                }
            }
        }
    }

    // ---- GIF: the logical screen, which the first frame must lie within (OpenCV refuses it otherwise).

    private static ImageHeader readGif(Bytes b) {
        int width = b.u16le(6);
        int height = b.u16le(8);
        int flags = b.u8(10);
        long at = 13;
        if ((flags & 0x80) != 0) {
            at += 3L << ((flags & 0x07) + 1); // global colour table
        }
        // Each block advances by at least one byte, so the walk ends within the input.
        while (true) {
            int block = b.u8(at);
            if (block == 0x21) { // extension: label, then data sub-blocks up to an empty one
                at += 2;
                int size;
                while ((size = b.u8(at)) != 0) {
                    at += 1 + size;
                }
                at++;
            } else if (block == 0x2C) { // image descriptor of the first frame
                long right = b.u16le(at + 1) + (long) b.u16le(at + 5);
                long bottom = b.u16le(at + 3) + (long) b.u16le(at + 7);
                if (right > width || bottom > height) {
                    throw b.invalid("first frame reaches " + right + "x" + bottom + ", beyond the " + width + "x" + height + " screen");
                }
                return new ImageHeader(ImageFormat.GIF, dimension(width, "GIF", "width"), dimension(height, "GIF", "height"), 1);
            } else if (block == 0x3B) {
                throw b.invalid("no image before the trailer");
            } else {
                throw b.invalid("unknown block 0x" + Integer.toHexString(block));
            }
        }
    }

    // ---- Formats we recognise only to reject them by name.

    /** Markup (after an optional byte-order mark and white space) that opens an {@code <svg>} element early on. */
    private static boolean isSvg(Bytes b) {
        int at = b.startsWith(0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        while (at < b.limit && isSpace(b.data[at])) {
            at++;
        }
        if (at >= b.limit || b.data[at] != '<') {
            return false;
        }
        String head = new String(b.data, at, (int) Math.min(b.limit - at, 1024), StandardCharsets.ISO_8859_1);
        return head.toLowerCase(Locale.ROOT).contains("<svg");
    }

    private static String unsupportedFormat(Bytes b) {
        if (b.startsWith(0, '%', 'P', 'D', 'F', '-')) {
            return "PDF";
        }
        if (isSvg(b)) {
            return "SVG";
        }
        if (b.startsWith(4, 'f', 't', 'y', 'p')) {
            return isoMediaFormat(b);
        }
        if (b.startsWith(0, JP2_SIGNATURE) || b.startsWith(0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "JPEG 2000";
        }
        if (b.startsWith(0, JXL_SIGNATURE) || b.startsWith(0, 0xFF, 0x0A)) {
            return "JPEG XL";
        }
        if (b.startsWith(0, '8', 'B', 'P', 'S')) {
            return "Photoshop PSD";
        }
        if (b.startsWith(0, 0x76, 0x2F, 0x31, 0x01)) {
            return "OpenEXR";
        }
        if (b.startsWith(0, '#', '?', 'R', 'A', 'D', 'I', 'A', 'N', 'C', 'E') || b.startsWith(0, '#', '?', 'R', 'G', 'B', 'E')) {
            return "Radiance HDR";
        }
        if (b.limit >= 3 && b.data[0] == 'P' && (b.data[1] == 'F' || b.data[1] == 'f') && isSpace(b.data[2])) {
            return "PFM";
        }
        if (b.startsWith(0, 0x59, 0xA6, 0x6A, 0x95)) {
            return "Sun raster";
        }
        return null;
    }

    /** HEIF/HEIC/AVIF and other ISO base media files, named from the major and compatible brands. */
    private static String isoMediaFormat(Bytes b) {
        long boxEnd = Math.min(b.limit, b.u32be(0));
        String heif = null;
        // brands: major at 8, minor version at 12, compatible ones from 16 to the end of the box
        for (long at = 8; at + 4 <= Math.max(12, boxEnd); at += at == 8 ? 8 : 4) {
            if (at + 4 > b.limit) {
                break;
            }
            String brand = new String(b.data, (int) at, 4, StandardCharsets.ISO_8859_1);
            switch (brand) {
                case "avif", "avis" -> {
                    return "AVIF";
                }
                case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs" -> heif = "HEIC";
                case "mif1", "msf1" -> heif = heif == null ? "HEIF" : heif;
                default -> {
                }
            }
        }
        if (heif != null) {
            return heif;
        }
        String major = b.limit >= 12 ? new String(b.data, 8, 4, StandardCharsets.ISO_8859_1).strip() : "?";
        return "ISO base media (brand '" + major.replaceAll("[^\\x20-\\x7E]", "?") + "')";
    }

    // ---- helpers

    private static int dimension(long value, String format, String axis) {
        if (value <= 0) {
            throw undecodable("invalid " + format + " header: " + axis + " is 0");
        }
        if (value > Integer.MAX_VALUE) {
            throw new ImageRejectedException(Reason.TOO_LARGE, format + " " + axis + " " + value + " is beyond any pixel limit");
        }
        return (int) value;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static ImageRejectedException undecodable(String message) {
        return new ImageRejectedException(Reason.UNDECODABLE, message);
    }

    /** Bounds-checked reads from data[0, limit); offsets are longs so that no sum can overflow. */
    private static final class Bytes {
        final byte[] data;
        final long limit;
        private final String what;

        Bytes(byte[] data, long limit, String what) {
            this.data = data;
            this.limit = limit;
            this.what = what;
        }

        void need(long at, long count) {
            if (at < 0 || count < 0 || at > limit - count) {
                throw truncated();
            }
        }

        ImageRejectedException truncated() {
            return undecodable("truncated " + what);
        }

        ImageRejectedException invalid(String detail) {
            return undecodable("invalid " + what + ": " + detail);
        }

        boolean startsWith(long at, byte[] signature) {
            if (at < 0 || at > limit - signature.length) {
                return false;
            }
            for (int i = 0; i < signature.length; i++) {
                if (data[(int) at + i] != signature[i]) {
                    return false;
                }
            }
            return true;
        }

        boolean startsWith(long at, int... signature) {
            if (at < 0 || at > limit - signature.length) {
                return false;
            }
            for (int i = 0; i < signature.length; i++) {
                if ((data[(int) at + i] & 0xFF) != signature[i]) {
                    return false;
                }
            }
            return true;
        }

        int u8(long at) {
            need(at, 1);
            return data[(int) at] & 0xFF;
        }

        int u16(long at, boolean little) {
            return little ? u16le(at) : u16be(at);
        }

        long u32(long at, boolean little) {
            return little ? u32le(at) : u32be(at);
        }

        /** Unsigned 64-bit; values past 2^63 saturate, which every caller treats as out of range. */
        long u64(long at, boolean little) {
            need(at, 8);
            long hi = little ? u32le(at + 4) : u32be(at);
            long lo = little ? u32le(at) : u32be(at + 4);
            return hi > Integer.MAX_VALUE ? Long.MAX_VALUE : (hi << 32) | lo;
        }

        int u16le(long at) {
            need(at, 2);
            return (data[(int) at] & 0xFF) | (data[(int) at + 1] & 0xFF) << 8;
        }

        int u16be(long at) {
            need(at, 2);
            return (data[(int) at] & 0xFF) << 8 | (data[(int) at + 1] & 0xFF);
        }

        long u24le(long at) {
            need(at, 3);
            return (data[(int) at] & 0xFF) | (data[(int) at + 1] & 0xFF) << 8 | (data[(int) at + 2] & 0xFF) << 16;
        }

        long u32le(long at) {
            need(at, 4);
            return (u16le(at) | (long) u16le(at + 2) << 16);
        }

        long u32be(long at) {
            need(at, 4);
            return ((long) u16be(at) << 16) | u16be(at + 2);
        }
    }
}
