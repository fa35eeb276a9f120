package dev.asyncocr.image;

/**
 * The image formats the service reads, each recognised by {@link ImageHeader#read(byte[])} from its
 * signature and decoded by OpenCV. Anything else is rejected before OpenCV sees it, which keeps the
 * native attack surface to these codecs.
 */
public enum ImageFormat {
    PNG,
    JPEG,
    BMP,
    TIFF,
    WEBP,
    /** Netpbm: PBM, PGM, PPM (P1 to P6) and PAM (P7). */
    PNM,
    /** The first frame only. The OpenCV 4.13 build we ship has its own GIF decoder. */
    GIF
}
