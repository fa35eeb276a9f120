package dev.asyncocr.ocr;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;

/** Cuts a text line out of the page by perspective transform, so slanted lines come out straight. */
final class LineCropper {

    /** A crop this much taller than wide is a vertical line: turn it to read left to right. */
    static final double VERTICAL_RATIO = 1.5;

    private LineCropper() {
    }

    /** The caller closes the returned crop. */
    static Mat crop(Mat image, Quad quad) {
        int width = (int) Math.max(quad.side(0, 1), quad.side(2, 3));
        int height = (int) Math.max(quad.side(0, 3), quad.side(1, 2));
        Mat crop = new Mat();
        try (FloatPointer srcPoints = new FloatPointer(quad.xy());
             FloatPointer dstPoints = new FloatPointer(0, 0, width, 0, width, height, 0, height);
             Mat src = new Mat(4, 1, CV_32FC2, srcPoints);
             Mat dst = new Mat(4, 1, CV_32FC2, dstPoints);
             Mat transform = getPerspectiveTransform(src, dst);
             Size size = new Size(width, height);
             Scalar border = new Scalar()) {
            warpPerspective(image, crop, transform, size, INTER_CUBIC, BORDER_REPLICATE, border);
        }
        if (isVertical(width, height)) {
            rotate(crop, crop, ROTATE_90_COUNTERCLOCKWISE);
        }
        return crop;
    }

    /** Whether the crop of {@code quad} is turned a quarter counter-clockwise to be read (its top comes left). */
    static boolean isVertical(Quad quad) {
        return isVertical((int) Math.max(quad.side(0, 1), quad.side(2, 3)), (int) Math.max(quad.side(0, 3), quad.side(1, 2)));
    }

    private static boolean isVertical(int width, int height) {
        return height >= VERTICAL_RATIO * width;
    }
}
