package dev.asyncocr.ocr;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** Packs BGR images into the normalised CHW float layout the PP-OCR models take. */
final class ImageTensors {

    private ImageTensors() {
    }

    /**
     * Writes {@code image} (8-bit BGR, channels kept in BGR order like the reference) into
     * {@code dest} at {@code offset} as a {@code 3 x rows x destWidth} block, each value mapped to
     * {@code (v / 255 - 0.5) / 0.5}; columns past the image's width stay 0 (the models' padding).
     */
    static void writeChw(Mat image, float[] dest, int offset, int destWidth) {
        if (image.type() != CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit BGR image, got type " + image.type());
        }
        int rows = image.rows();
        int cols = image.cols();
        int plane = rows * destWidth;
        byte[] pixels = new byte[rows * cols * 3];
        try (Mat continuous = image.isContinuous() ? null : image.clone()) {
            BytePointer data = (continuous == null ? image : continuous).data();
            data.get(pixels);
        }
        int i = 0;
        for (int y = 0; y < rows; y++) {
            int row = offset + y * destWidth;
            for (int x = 0; x < cols; x++) {
                for (int c = 0; c < 3; c++) {
                    dest[row + c * plane + x] = ((pixels[i++] & 0xFF) / 255f - 0.5f) / 0.5f;
                }
            }
        }
    }

    /** Bilinear resize (OpenCV's default, as in the reference); the caller closes the result. */
    static Mat resized(Mat image, int width, int height) {
        Mat out = new Mat();
        try (Size size = new Size(width, height)) {
            resize(image, out, size);
        }
        return out;
    }
}
