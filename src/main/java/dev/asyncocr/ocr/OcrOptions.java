package dev.asyncocr.ocr;

/**
 * PaddleOCR's stage switches. Without {@code det} the whole image is one line; without {@code rec}
 * only boxes come back; {@code cls} runs the 0/180-degree direction classifier on every line.
 */
public record OcrOptions(boolean det, boolean cls, boolean rec) {

    public static final OcrOptions ALL = new OcrOptions(true, true, true);

    /** A short label such as {@code det+cls+rec}, used in logs and reports. */
    public String label() {
        StringBuilder sb = new StringBuilder();
        if (det) sb.append("det");
        if (cls) sb.append(sb.isEmpty() ? "" : "+").append("cls");
        if (rec) sb.append(sb.isEmpty() ? "" : "+").append("rec");
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
