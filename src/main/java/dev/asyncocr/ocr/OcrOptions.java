package dev.asyncocr.ocr;

/**
 * What to run on an image: PaddleOCR's stage switches and the request's {@link Tuning}. Without {@code det}
 * the whole image is one line; without {@code rec} only boxes come back; {@code cls} runs the 0/180-degree
 * direction classifier on every line.
 *
 * @param tuning the settings the request gave, each null for the replica's default; never null
 */
public record OcrOptions(boolean det, boolean cls, boolean rec, Tuning tuning) {

    public static final OcrOptions ALL = new OcrOptions(true, true, true);

    public OcrOptions {
        tuning = tuning == null ? Tuning.NONE : tuning; // null in jobs queued or stored before it
    }

    /** These switches at the replica's defaults. */
    public OcrOptions(boolean det, boolean cls, boolean rec) {
        this(det, cls, rec, Tuning.NONE);
    }

    /** A short label such as {@code det+cls+rec}, used in logs and reports. */
    public String label() {
        StringBuilder sb = new StringBuilder();
        if (det) sb.append("det");
        if (cls) sb.append(sb.isEmpty() ? "" : "+").append("cls");
        if (rec) sb.append(sb.isEmpty() ? "" : "+").append("rec");
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
