package dev.asyncocr.api;

import dev.asyncocr.Sha256;
import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.config.DocumentConfig;
import dev.asyncocr.image.Document;
import dev.asyncocr.image.Documents;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.job.DeadlinePolicy;
import dev.asyncocr.job.PagePart;
import dev.asyncocr.image.PageSelection;
import dev.asyncocr.image.PdfDocument;
import dev.asyncocr.image.TextLayer;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.observability.JobTracing;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.Tuning;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks every submission passes, whichever door it came through (REST or CloudEvent): an image is
 * refused for its size, format or pixel count (read from its header) before anything is queued. A document
 * (a PDF, a TIFF of several frames, or several images sent together) is opened, counted and cut into one part
 * per selected page here, so that a bad one is refused at once and each page task reads only its part.
 */
@Singleton
public class JobSubmitter {

    /** The DPI a request may ask a PDF to be rendered at. */
    static final int MIN_DPI = 72;
    static final int MAX_DPI = 600;
    /** Asks a document's pages to send an event each as they turn final. */
    static final String PAGE_EVENTS = "page_events";

    private final JobService jobs;
    private final ImageDecoder decoder;
    private final ApiConfig config;
    private final DocumentConfig documents;
    private final JobTracing tracing;

    public JobSubmitter(JobService jobs, ImageDecoder decoder, ApiConfig config, DocumentConfig documents,
            JobTracing tracing) {
        this.jobs = jobs;
        this.decoder = decoder;
        this.config = config;
        this.documents = documents;
        this.tracing = tracing;
    }

    /**
     * How a document is read: which pages, at what DPI, whether a PDF page's own text may be taken, with what
     * password (from the request; a password goes no further than opening the document here), and whether each
     * page sends an event when it is final.
     */
    public record DocumentRequest(PageSelection pages, int dpi, TextLayer textLayer, String password,
            boolean pageEvents) {

        /**
         * @param pages      the {@code pages} parameter, or null for all
         * @param dpi        the {@code dpi} parameter, or null for {@code ocr.document.dpi}
         * @param textLayer  the {@code text_layer} parameter, read by {@link #textLayer(String, String)}
         * @param pageEvents the {@code page_events} parameter, or null for false
         * @throws ApiException INVALID_PARAMETER for a malformed selection, a DPI outside 72..600, or page events
         *                      neither true nor false
         */
        public static DocumentRequest of(String pages, String dpi, TextLayer textLayer, String password,
                String pageEvents,
                DocumentConfig config) {
            PageSelection selection;
            try {
                selection = PageSelection.parse(pages);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, e.getMessage());
            }
            return new DocumentRequest(selection, dpi == null ? config.dpi() : dpi(dpi), textLayer, password,
                    pageEvents != null && flag(PAGE_EVENTS, pageEvents));
        }

        private static int dpi(String value) {
            try {
                int dpi = Integer.parseInt(value);
                if (dpi >= MIN_DPI && dpi <= MAX_DPI) {
                    return dpi;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'dpi' must be a whole number from " + MIN_DPI + " to " + MAX_DPI + ", not '" + value + "'");
        }
    }

    /**
     * Submits an image or a document (told apart by the bytes).
     *
     * @param declaredPdf    whether the client said it is a PDF ({@code application/pdf}): then it must be one
     * @param callbackUrl    where the completion event goes, or null
     * @param idempotencyKey a key that makes resubmissions of the same upload return the same job, or null
     * @param tenant         who submits it (its owner), or null with authentication off
     * @param schedule       its deadline, if any
     * @param policy         what to do when the queue cannot start it by its deadline
     */
    public OcrJob submit(byte[] upload, boolean declaredPdf, OcrOptions options, String callbackUrl,
            String idempotencyKey, DocumentRequest request, String tenant, Schedule schedule, DeadlinePolicy policy) {
        checkSize(upload == null ? 0 : upload.length);
        if (declaredPdf && !PdfDocument.isPdf(upload)) {
            throw new ApiException(ErrorCode.DOCUMENT_UNREADABLE, "The body is declared application/pdf but is not a "
                    + "PDF (it does not start with %PDF-)");
        }
        Optional<Document> document = Documents.open(upload, request.password(), decoder.maxPixels());
        if (document.isEmpty()) {
            checkImageSize(upload.length);
            selected(request, 1); // an image is a document of one page
            decoder.inspect(upload); // format and pixel count from the header: refused now, not in the worker
            return jobs.submit(upload, options, callbackUrl, idempotencyKey, tracing.currentTraceparent(), tenant,
                    schedule, policy);
        }
        List<PagePart> parts;
        try (Document opened = document.get()) {
            parts = selected(request, opened.pageCount()).stream().map(page -> new PagePart(page, opened.part(page)))
                    .toList();
        }
        return jobs.submitDocument(upload, parts, request.dpi(), request.pageEvents(), request.textLayer(), options,
                callbackUrl, idempotencyKey, tracing.currentTraceparent(), tenant, schedule, policy);
    }

    /** Several images sent together: the pages of one document job, in their order. */
    public OcrJob submitPages(List<byte[]> images, OcrOptions options, String callbackUrl, String idempotencyKey,
            DocumentRequest request, String tenant, Schedule schedule, DeadlinePolicy policy) {
        List<PagePart> parts = new ArrayList<>();
        for (int page = 1; page <= images.size(); page++) {
            byte[] image = images.get(page - 1);
            checkImageSize(image.length);
            if (Documents.isDocument(image, decoder.maxPixels())) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "Part " + page + " of the " + images.size()
                        + " 'image' parts is a document: send a document on its own, or several images");
            }
            decoder.inspect(image);
            parts.add(new PagePart(page, image));
        }
        List<Integer> pages = selected(request, parts.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream(); // the request's identity, for its idempotency key
        parts.forEach(part -> all.writeBytes(Sha256.hex(part.bytes()).getBytes(StandardCharsets.US_ASCII)));
        return jobs.submitDocument(all.toByteArray(), parts.stream().filter(p -> pages.contains(p.page())).toList(),
                request.dpi(), request.pageEvents(), request.textLayer(), options, callbackUrl, idempotencyKey,
                tracing.currentTraceparent(),
                tenant, schedule, policy);
    }

    private List<Integer> selected(DocumentRequest request, int pageCount) {
        try {
            return request.pages().pages(pageCount, documents.maxPages());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, e.getMessage());
        }
    }

    /**
     * Refuses an empty upload or one over both {@code ocr.api.max-bytes} and {@code ocr.document.max-bytes},
     * before it is read into memory.
     */
    void checkSize(long bytes) {
        if (bytes == 0) {
            throw new ApiException(ErrorCode.IMAGE_MISSING, "The image is empty (0 bytes)");
        }
        long limit = Math.max(config.maxBytes(), documents.maxBytes());
        if (bytes > limit) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The upload has " + bytes + " bytes; the limit is " + limit + " bytes");
        }
    }

    /** Refuses an image over {@code ocr.api.max-bytes} (a document may be larger). */
    private void checkImageSize(long bytes) {
        if (bytes > config.maxBytes()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The image has " + bytes + " bytes; the limit is " + config.maxBytes() + " bytes");
        }
    }

    /** A pipeline switch: absent means true; anything but true/false (any case) is refused rather than read as false. */
    public static boolean flag(String name, String value) {
        if (value == null) {
            return true;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'" + name + "' must be true or false, not '" + value + "'");
        };
    }

    /** Where a PDF page's text comes from: absent is {@link TextLayer#AUTO}; anything but auto or ocr is refused. */
    public static TextLayer textLayer(String name, String value) {
        if (value == null) {
            return TextLayer.AUTO;
        }
        return TextLayer.named(value).orElseThrow(() -> new ApiException(ErrorCode.INVALID_PARAMETER,
                "'" + name + "' must be auto (a PDF page's own text where it has a real one) or ocr (recognise every"
                        + " page), not '" + value + "'"));
    }

    /**
     * A numeric setting: absent is null (the replica's default); anything but a decimal number within
     * {@code range} is refused, naming the option and its range.
     */
    public static Double number(String name, String value, Tuning.Range range) {
        if (value == null) {
            return null;
        }
        double number;
        try {
            number = new BigDecimal(value.trim()).doubleValue(); // plain decimals only: no NaN, Infinity or hex
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!range.contains(number)) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'" + name + "' must be a number from " + range + ", not '" + value + "'");
        }
        return number;
    }

    /** A detection geometry: absent is null (the replica's default); else {@code min:N}, {@code max:N} or {@code text:N}. */
    public static DetectionSize detectionSize(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return DetectionSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + name + "' must be min:N or max:N (N pixels,"
                    + " at least " + DetectionSize.LEAST_SIDE + ") or text:N (N pixels, at least "
                    + DetectionSize.LEAST_TEXT + "), not '" + value + "'");
        }
    }
}
