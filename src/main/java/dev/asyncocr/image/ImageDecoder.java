package dev.asyncocr.image;

import dev.asyncocr.image.ImageRejectedException.Reason;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_16F;
import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.transpose;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * The pipeline's entry point for encoded images: checks the header against a pixel limit, decodes with
 * OpenCV, applies the EXIF orientation and normalises every input to one shape, 8-bit 3-channel BGR.
 *
 * <p>Contract: {@link #decode(byte[])} returns a new {@link Mat} that the caller owns and must close;
 * every intermediate is released here. Bad input fails with {@link ImageRejectedException} only.
 * Thread-safe: instances hold no mutable state, so one decoder serves all workers.
 */
public final class ImageDecoder {

    /** Blend tables indexed by {@code alpha << 8 | value}, for a white and a black background. */
    private static final byte[] OVER_WHITE = blendTable(255);
    private static final byte[] OVER_BLACK = blendTable(0);

    private final long maxPixels;

    /** @param maxPixels the most stored pixels (width times height) an image may have */
    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Reads the header only and checks the pixel limit, so an oversized image (a decompression bomb
     * included) is refused before any pixel memory exists.
     *
     * @throws ImageRejectedException UNDECODABLE, UNSUPPORTED_FORMAT, or TOO_LARGE over the limit
     */
    public ImageHeader inspect(byte[] encoded) {
        ImageHeader header = ImageHeader.read(encoded);
        if (header.pixels() > maxPixels) {
            throw tooLarge(header.width(), header.height());
        }
        return header;
    }

    /**
     * Decodes to an 8-bit, 3-channel BGR image, upright per the EXIF orientation: 16-bit and float
     * samples are scaled to 8 bits, grey is expanded, and alpha is composited away (grey+alpha over
     * white; BGRA over white or black, whichever contrasts with the visible pixels).
     *
     * @return a new Mat; the caller closes it
     * @throws ImageRejectedException UNDECODABLE (not an image, corrupt, truncated), UNSUPPORTED_FORMAT,
     *                                TOO_LARGE (over the pixel limit)
     */
    public Mat decode(byte[] encoded) {
        ImageHeader header = inspect(encoded);
        if (header.format() == ImageFormat.PNG) {
            ImageHeader.requireWholePngChunks(encoded);
        }
        try (Mat raw = decodeUnchanged(encoded, header);
             Mat eightBit = toEightBit(raw);
             Mat bgr = toBgr(eightBit)) {
            return orient(bgr, header.orientation());
        }
    }

    /** IMREAD_UNCHANGED keeps alpha and 16-bit samples and, unlike other flags, leaves orientation to us. */
    private Mat decodeUnchanged(byte[] encoded, ImageHeader header) {
        Mat image;
        try (BytePointer bytes = new BytePointer(encoded);
             Mat buffer = new Mat(1, encoded.length, CV_8UC1, bytes)) {
            image = imdecode(buffer, IMREAD_UNCHANGED);
        } catch (RuntimeException e) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "cannot decode " + header.format() + " image: " + e.getMessage());
        }
        if (image.empty()) {
            image.close();
            throw new ImageRejectedException(Reason.UNDECODABLE, "cannot decode " + header.format() + " image "
                    + header.width() + "x" + header.height() + ": corrupt or truncated data");
        }
        if ((long) image.cols() * image.rows() > maxPixels) {
            // the header understated what the codec produced; never hand on more than the limit
            int cols = image.cols();
            int rows = image.rows();
            image.close();
            throw tooLarge(cols, rows);
        }
        return image;
    }

    private static Mat toEightBit(Mat image) {
        int depth = image.depth();
        if (depth == CV_8U) {
            return new Mat(image); // shares the pixels; each header is closed on its own
        }
        double scale;
        if (depth == CV_16U) {
            scale = 1.0 / 257; // 65535 maps to 255
        } else if (depth == CV_32F || depth == CV_64F || depth == CV_16F) {
            scale = 255; // float samples are taken as 0..1, the usual convention of TIFF and EXR writers
        } else {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "unsupported pixel depth " + depthName(depth));
        }
        Mat out = new Mat();
        try {
            image.convertTo(out, CV_8U, scale, 0);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static Mat toBgr(Mat image) {
        int channels = image.channels();
        switch (channels) {
            case 1 -> {
                Mat out = new Mat();
                try {
                    cvtColor(image, out, COLOR_GRAY2BGR);
                    return out;
                } catch (RuntimeException e) {
                    out.close();
                    throw e;
                }
            }
            case 2 -> {
                return composite(image, OVER_WHITE);
            }
            case 3 -> {
                return new Mat(image);
            }
            case 4 -> {
                return composite(image, contrastsWithWhite(image) ? OVER_WHITE : OVER_BLACK);
            }
            default -> throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "unsupported channel count " + channels);
        }
    }

    /**
     * Whether white is the background that contrasts with the visible pixels of a BGRA image: their
     * mean luminance (0.299R + 0.587G + 0.114B over alpha &gt; 0) is dark. Also true when nothing is
     * visible. Dark text on transparency thus lands on white and light text on black.
     */
    private static boolean contrastsWithWhite(Mat bgra) {
        int cols = bgra.cols();
        byte[] row = new byte[cols * 4];
        long sumB = 0;
        long sumG = 0;
        long sumR = 0;
        long visible = 0;
        try (BytePointer pixels = bgra.data()) {
            long step = bgra.step();
            for (int y = 0; y < bgra.rows(); y++) {
                pixels.position(y * step).get(row, 0, row.length);
                for (int i = 0; i < row.length; i += 4) {
                    if (row[i + 3] != 0) {
                        sumB += row[i] & 0xFF;
                        sumG += row[i + 1] & 0xFF;
                        sumR += row[i + 2] & 0xFF;
                        visible++;
                    }
                }
            }
        }
        if (visible == 0) {
            return true;
        }
        double luminance = (0.299 * sumR + 0.587 * sumG + 0.114 * sumB) / visible;
        return luminance < 128;
    }

    /** Grey+alpha or BGRA composited over the table's background into a new BGR image. */
    private static Mat composite(Mat image, byte[] table) {
        int rows = image.rows();
        int cols = image.cols();
        int channels = image.channels();
        byte[] in = new byte[cols * channels];
        byte[] out = new byte[cols * 3];
        Mat result = new Mat(rows, cols, CV_8UC3);
        try (BytePointer src = image.data(); BytePointer dst = result.data()) {
            long srcStep = image.step();
            long dstStep = result.step();
            for (int y = 0; y < rows; y++) {
                src.position(y * srcStep).get(in, 0, in.length);
                if (channels == 2) {
                    for (int x = 0, i = 0, o = 0; x < cols; x++, i += 2, o += 3) {
                        byte v = table[(in[i + 1] & 0xFF) << 8 | (in[i] & 0xFF)];
                        out[o] = v;
                        out[o + 1] = v;
                        out[o + 2] = v;
                    }
                } else {
                    for (int x = 0, i = 0, o = 0; x < cols; x++, i += 4, o += 3) {
                        int alpha = (in[i + 3] & 0xFF) << 8;
                        out[o] = table[alpha | (in[i] & 0xFF)];
                        out[o + 1] = table[alpha | (in[i + 1] & 0xFF)];
                        out[o + 2] = table[alpha | (in[i + 2] & 0xFF)];
                    }
                }
                dst.position(y * dstStep).put(out, 0, out.length);
            }
            return result;
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
    }

    /**
     * {@code background * (1 - a) + value * a} with {@code a = alpha / 255} in double precision, truncated
     * to a byte: the arithmetic, operand order included, of the reference NumPy implementation.
     */
    private static byte[] blendTable(int background) {
        byte[] table = new byte[256 * 256];
        for (int alpha = 0; alpha < 256; alpha++) {
            double a = alpha / 255.0;
            for (int value = 0; value < 256; value++) {
                table[alpha << 8 | value] = (byte) (int) (background * (1 - a) + value * a);
            }
        }
        return table;
    }

    /** EXIF orientation applied as OpenCV's imread and PIL's exif_transpose do. */
    private static Mat orient(Mat image, int orientation) {
        Mat out = new Mat();
        try {
            switch (orientation) {
                case 2 -> flip(image, out, 1);
                case 3 -> flip(image, out, -1);
                case 4 -> flip(image, out, 0);
                case 5 -> transpose(image, out);
                case 6, 7, 8 -> {
                    try (Mat transposed = new Mat()) {
                        transpose(image, transposed);
                        flip(transposed, out, orientation == 6 ? 1 : orientation == 7 ? -1 : 0);
                    }
                }
                default -> {
                    out.close();
                    return new Mat(image);
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private ImageRejectedException tooLarge(int width, int height) {
        long pixels = (long) width * height;
        return new ImageRejectedException(Reason.TOO_LARGE,
                "image is " + width + "x" + height + " pixels (" + pixels + "), over the limit of " + maxPixels);
    }

    private static String depthName(int depth) {
        return switch (depth) {
            case 1 -> "8-bit signed";
            case 3 -> "16-bit signed";
            case 4 -> "32-bit signed integer";
            default -> "type " + depth;
        };
    }
}
