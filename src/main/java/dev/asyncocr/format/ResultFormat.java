package dev.asyncocr.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The formats a finished job's result is given in. Each renderer writes the pages to the stream as it goes,
 * holding no more than the page it writes; the PDF, whose cross-reference table follows its pages, keeps
 * each page's streams in a temporary file and writes the document once the last page is built.
 */
public enum ResultFormat {

    /** The job's JSON body ({@link JobBodies}), written by the HTTP layer. */
    JSON("json", ResultFormat.JSON_TYPE, true, null),
    /** Lines in reading order, pages separated by a form feed. */
    TEXT("text", ResultFormat.TEXT_TYPE, true, (pages, sources, out) -> TextRenderer.write(pages, out)),
    /** hOCR 1.2 (XHTML); only by name: {@code text/html} in an Accept header is a browser, not a request for it. */
    HOCR("hocr", ResultFormat.HOCR_TYPE, false, (pages, sources, out) -> HocrRenderer.write(pages, out)),
    /** ALTO 4.4; only by name. */
    ALTO("alto", ResultFormat.ALTO_TYPE, false, (pages, sources, out) -> AltoRenderer.write(pages, out)),
    /** A searchable PDF: each page's source with the text invisible on top. */
    PDF("pdf", ResultFormat.PDF_TYPE, true, PdfRenderer::write);

    /** The query parameter that names a format. */
    public static final String PARAMETER = "format";
    // the media types, as constants for the HTTP layer's annotations
    public static final String JSON_TYPE = "application/json";
    public static final String TEXT_TYPE = "text/plain; charset=utf-8";
    public static final String HOCR_TYPE = "text/html; charset=utf-8";
    public static final String ALTO_TYPE = "application/xml";
    public static final String PDF_TYPE = "application/pdf";
    /** Every format's media type, comma-separated (as {@code @Produces} reads one string). */
    public static final String MEDIA_TYPES = JSON_TYPE + ", " + TEXT_TYPE + ", " + HOCR_TYPE + ", " + ALTO_TYPE + ", "
            + PDF_TYPE;

    private final String wireName;
    private final String mediaType;
    private final boolean byAccept;
    private final Renderer renderer;

    ResultFormat(String wireName, String mediaType, boolean byAccept, Renderer renderer) {
        this.wireName = wireName;
        this.mediaType = mediaType;
        this.byAccept = byAccept;
        this.renderer = renderer;
    }

    public String wireName() {
        return wireName;
    }

    /** Its Content-Type. */
    public String mediaType() {
        return mediaType;
    }

    /** Whether an Accept header alone selects it (its media type is unambiguous). */
    public boolean byAccept() {
        return byAccept;
    }

    /**
     * Writes the pages in this format, asking {@code sources} for what each page shows where the format
     * draws pages ({@link #PDF}).
     *
     * @throws UnsupportedOperationException for {@link #JSON}, which the HTTP layer serialises itself
     */
    public void write(List<ResultPage> pages, PageSources sources, OutputStream out) throws IOException {
        if (renderer == null) {
            throw new UnsupportedOperationException(wireName + " is written by the HTTP layer");
        }
        renderer.write(pages, sources, out);
    }

    /** Writes the pages in this format, without their sources (a PDF's pages are then blank under the text). */
    public void write(List<ResultPage> pages, OutputStream out) throws IOException {
        write(pages, PageSources.NONE, out);
    }

    /** The format of that name, case-insensitive. */
    public static Optional<ResultFormat> named(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    /** Every format's name, for an error message: {@code json, text, ...}. */
    public static String names() {
        return Arrays.stream(values()).map(ResultFormat::wireName).collect(Collectors.joining(", "));
    }

    @FunctionalInterface
    private interface Renderer {
        void write(List<ResultPage> pages, PageSources sources, OutputStream out) throws IOException;
    }
}
