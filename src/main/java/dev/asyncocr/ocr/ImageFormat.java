package dev.asyncocr.ocr;

import java.util.Locale;
import java.util.Optional;

/**
 * The image formats the service reads, each recognised by {@link ImageHeader#read(byte[])} from its
 * signature and decoded by OpenCV. Anything else is rejected before OpenCV sees it, which keeps the
 * native attack surface to these codecs.
 */
public enum ImageFormat {
    PNG("image/png"),
    JPEG("image/jpeg"),
    BMP("image/bmp"),
    TIFF("image/tiff"),
    WEBP("image/webp"),
    /** Netpbm: PBM, PGM, PPM (P1 to P6) and PAM (P7). */
    PNM("image/x-portable-anymap"),
    /** The first frame only. The OpenCV 4.13 build we ship has its own GIF decoder. */
    GIF("image/gif");

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The canonical media type, e.g. {@code image/png}. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The format for a declared media type (parameters and case ignored; common aliases such as
     * {@code image/jpg} and {@code image/x-ms-bmp} accepted), or empty when we do not read it.
     * The declared type is only a hint: the bytes decide, see {@link ImageHeader#read(byte[])}.
     */
    public static Optional<ImageFormat> fromMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        int semicolon = mediaType.indexOf(';');
        String type = (semicolon >= 0 ? mediaType.substring(0, semicolon) : mediaType).trim().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (type) {
            case "image/png", "image/apng" -> PNG;
            case "image/jpeg", "image/jpg", "image/pjpeg" -> JPEG;
            case "image/bmp", "image/x-bmp", "image/x-ms-bmp" -> BMP;
            case "image/tiff", "image/tiff-fx" -> TIFF;
            case "image/webp" -> WEBP;
            case "image/x-portable-anymap", "image/x-portable-bitmap", "image/x-portable-graymap",
                    "image/x-portable-pixmap", "image/x-portable-arbitrarymap" -> PNM;
            case "image/gif" -> GIF;
            default -> null;
        });
    }
}
