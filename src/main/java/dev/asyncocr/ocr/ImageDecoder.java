package dev.asyncocr.ocr;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/** TEMPORARY minimal decoder, replaced by the full one (header checks, alpha, EXIF, 16-bit). */
public final class ImageDecoder {

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** Decodes to an 8-bit, 3-channel BGR image; the caller closes it. */
    public Mat decode(byte[] encoded) {
        try (BytePointer pointer = new BytePointer(encoded); Mat raw = new Mat(1, encoded.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, pointer)) {
            Mat image = imdecode(raw, IMREAD_COLOR);
            if (image == null || image.empty()) {
                throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "cannot decode image");
            }
            return image;
        }
    }
}
