package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.config.DocumentConfig;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.image.PageSelection;
import dev.asyncocr.image.TextLayer;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.Tuning;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Submits images. {@code POST /ocr/async} answers 202 with the job's id at once; {@code POST /ocr} goes
 * through the same queue and waits for the result up to {@code ocr.api.sync-timeout}. The image comes
 * as the {@code image} part of a multipart form or as the raw body; {@code det}, {@code cls} and
 * {@code rec} switch the pipeline stages (default true), and the {@link TuningParameters} tune detection and
 * the line filter (default: the replica's configuration). An image is checked (size, format, pixel
 * count from its header) before anything is queued, so a bad one is refused at once.
 */
@Path("/ocr")
@Produces(ResultFormat.MEDIA_TYPES)
@Blocking
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = ApiDocumentation.UNAUTHENTICATED)
@Tag(name = "OCR", description = "Submit an image for recognition")
// The refusals of every submission, whether it waits or not: class-level, so each operation lists them
@APIResponse(responseCode = "400", ref = ApiDocumentation.ERROR,
        description = "INVALID_PARAMETER (also an unknown, repeated or empty query parameter), IMAGE_MISSING,"
                + " IMAGE_UNDECODABLE, INVALID_CALLBACK_URL or INVALID_REQUEST (malformed multipart, several image parts)")
@APIResponse(responseCode = "413", ref = ApiDocumentation.IMAGE_TOO_LARGE)
@APIResponse(responseCode = "415", ref = ApiDocumentation.ERROR,
        description = "UNSUPPORTED_MEDIA_TYPE: a Content-Type or image format not read")
@APIResponse(responseCode = "422", ref = ApiDocumentation.ERROR,
        description = "IDEMPOTENCY_KEY_REUSED: the key came before with another image or other options;"
                + " request_id names that job")
@APIResponse(responseCode = "409", ref = ApiDocumentation.ERROR,
        description = "DEADLINE_UNREACHABLE: deadline_policy=reject, and the job's estimated start is after its"
                + " deadline; nothing was queued")
@APIResponse(responseCode = "429", ref = ApiDocumentation.TENANT_QUOTA)
@APIResponse(responseCode = "500", ref = ApiDocumentation.INTERNAL_ERROR)
@APIResponse(responseCode = "503", ref = ApiDocumentation.UNAVAILABLE)
public class OcrResource {

    /** The multipart part that carries the image. */
    static final String IMAGE_PART = "image";
    /** Where to send the completion event: a form field or a query parameter. */
    static final String CALLBACK_URL = "callback_url";
    static final String DET = "det";
    static final String CLS = "cls";
    static final String REC = "rec";
    /** A document's pages to read: {@code 1-3,5}. */
    static final String PAGES = "pages";
    /** The DPI a PDF's pages are rendered at. */
    static final String DPI = "dpi";
    /** Whether a PDF page's own text is taken ({@code auto}) or every page recognised ({@code ocr}). */
    static final String TEXT_LAYER = "text_layer";
    /** Whether a document's pages send an event each: a form field or a query parameter. */
    static final String PAGE_EVENTS = JobSubmitter.PAGE_EVENTS;
    /** The form field that opens an encrypted PDF (never a query parameter: URLs get logged). */
    static final String PASSWORD = "password";
    /** The query parameters a submission reads ({@link StrictRequestFilter} refuses others). */
    static final Set<String> QUERY_PARAMETERS = Stream.of(
            Stream.of(DET, CLS, REC, CALLBACK_URL, PAGES, DPI, TEXT_LAYER, PAGE_EVENTS, ResultFormat.PARAMETER,
                    ResultView.WORDS),
            TuningParameters.NAMES.stream(), SchedulingParameters.NAMES.stream())
            .flatMap(names -> names).collect(Collectors.toUnmodifiableSet());
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    private static final String RAW_TYPES = "image/*";
    static final String PDF = "application/pdf";

    private final JobSubmitter submitter;
    private final JobWaiter waiter;
    private final JobAnswers answers;
    private final ApiConfig config;
    private final DocumentConfig documents;
    private final Caller caller;

    public OcrResource(JobSubmitter submitter, JobWaiter waiter, JobAnswers answers, ApiConfig config,
            DocumentConfig documents, Caller caller) {
        this.submitter = submitter;
        this.answers = answers;
        this.waiter = waiter;
        this.config = config;
        this.documents = documents;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Recognise an image, waiting up to ocr.api.sync-timeout for the result")
    @Parameter(ref = DET)
    @Parameter(ref = CLS)
    @Parameter(ref = REC)
    @Parameter(ref = CALLBACK_URL)
    @Parameter(ref = TEXT_LAYER)
    @Parameter(ref = PAGE_EVENTS)
    @Parameter(ref = SchedulingParameters.DEADLINE)
    @Parameter(ref = SchedulingParameters.TIMEOUT)
    @Parameter(ref = SchedulingParameters.DEADLINE_POLICY)
    @Parameter(ref = SchedulingParameters.PRIORITY)
    @Parameter(ref = IDEMPOTENCY_KEY)
    @Parameter(ref = ResultFormat.PARAMETER)
    @Parameter(ref = ResultView.WORDS)
    @APIResponse(responseCode = "200", ref = ApiDocumentation.RESULT)
    @APIResponse(responseCode = "406", ref = ApiDocumentation.ERROR,
            description = "NOT_ACCEPTABLE: an unknown format; the message lists the formats")
    @APIResponse(responseCode = "202", ref = ApiDocumentation.PENDING,
            description = "Not finished in time: poll Location")
    @APIResponse(responseCode = "410", ref = ApiDocumentation.ERROR,
            description = "JOB_CANCELLED or JOB_EXPIRED: the job (or the key's earlier one) was cancelled, or not"
                    + " started by its deadline")
    public Uni<Response> recognizeMultipart(@RestForm(IMAGE_PART) List<FileUpload> image,
            @RestForm(CALLBACK_URL) String callbackField, @RestQuery(CALLBACK_URL) String callbackQuery,
            @RestQuery(DET) String det, @RestQuery(CLS) String cls, @RestQuery(REC) String rec,
            @BeanParam TuningParameters.Query tuningQuery, @BeanParam TuningParameters.Form tuningForm,
            @RestForm(SchedulingParameters.DEADLINE) String deadlineField,
            @RestForm(SchedulingParameters.TIMEOUT) String timeoutField,
            @RestForm(SchedulingParameters.DEADLINE_POLICY) String policyField,
            @RestForm(SchedulingParameters.PRIORITY) String priorityField, @BeanParam SchedulingParameters scheduling,
            @RestQuery(PAGES) String pages, @RestQuery(DPI) String dpi, @RestForm(TEXT_LAYER) String textLayerField,
            @RestQuery(TEXT_LAYER) String textLayerQuery, @RestForm(PASSWORD) String password,
            @RestForm(PAGE_EVENTS) String pageEventsField, @RestQuery(PAGE_EVENTS) String pageEventsQuery,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, @BeanParam ResultView view) {
        ResultView.Rendering rendering = view.rendering();
        OcrJob job = submitParts(image, options(det, cls, rec, TuningParameters.read(tuningQuery, tuningForm)),
                oneOf(CALLBACK_URL, callbackField, callbackQuery),
                scheduling.withForm(deadlineField, timeoutField, policyField, priorityField), idempotencyKey,
                documentRequest(pages, dpi, textLayer(textLayerField, textLayerQuery), password,
                        oneOf(PAGE_EVENTS, pageEventsField, pageEventsQuery)));
        return awaitResult(job, rendering);
    }

    // Documented with recognizeMultipart: the OpenAPI scanner merges both into one operation
    @POST
    @Consumes({RAW_TYPES, PDF, MediaType.APPLICATION_OCTET_STREAM})
    public Uni<Response> recognizeRaw(byte[] body, @RestQuery(CALLBACK_URL) String callbackUrl, @RestQuery(DET) String det,
            @RestQuery(CLS) String cls, @RestQuery(REC) String rec, @BeanParam TuningParameters.Query tuningQuery,
            @BeanParam SchedulingParameters scheduling, @RestQuery(PAGES) String pages,
            @RestQuery(DPI) String dpi, @RestQuery(TEXT_LAYER) String textLayer,
            @RestQuery(PAGE_EVENTS) String pageEvents,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, @BeanParam ResultView view) {
        ResultView.Rendering rendering = view.rendering();
        OcrOptions options = options(det, cls, rec, TuningParameters.read(tuningQuery, TuningParameters.Form.NONE));
        return awaitResult(submitBody(body, contentType, options, documentRequest(pages, dpi,
                JobSubmitter.textLayer(TEXT_LAYER, textLayer), null, pageEvents), callbackUrl, scheduling,
                idempotencyKey), rendering);
    }

    @POST
    @Path("/async")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Queue an image for recognition and answer at once")
    @Parameter(ref = DET)
    @Parameter(ref = CLS)
    @Parameter(ref = REC)
    @Parameter(ref = CALLBACK_URL)
    @Parameter(ref = TEXT_LAYER)
    @Parameter(ref = PAGE_EVENTS)
    @Parameter(ref = SchedulingParameters.DEADLINE)
    @Parameter(ref = SchedulingParameters.TIMEOUT)
    @Parameter(ref = SchedulingParameters.DEADLINE_POLICY)
    @Parameter(ref = SchedulingParameters.PRIORITY)
    @Parameter(ref = IDEMPOTENCY_KEY)
    @APIResponse(responseCode = "202", description = "Queued (or the earlier job of the same Idempotency-Key)",
            headers = @Header(name = HttpHeaders.LOCATION, ref = ApiDocumentation.LOCATION),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponses.JobStatusResponse.class)))
    public Response submitMultipart(@RestForm(IMAGE_PART) List<FileUpload> image,
            @RestForm(CALLBACK_URL) String callbackField, @RestQuery(CALLBACK_URL) String callbackQuery,
            @RestQuery(DET) String det, @RestQuery(CLS) String cls, @RestQuery(REC) String rec,
            @BeanParam TuningParameters.Query tuningQuery, @BeanParam TuningParameters.Form tuningForm,
            @RestForm(SchedulingParameters.DEADLINE) String deadlineField,
            @RestForm(SchedulingParameters.TIMEOUT) String timeoutField,
            @RestForm(SchedulingParameters.DEADLINE_POLICY) String policyField,
            @RestForm(SchedulingParameters.PRIORITY) String priorityField, @BeanParam SchedulingParameters scheduling,
            @RestQuery(PAGES) String pages, @RestQuery(DPI) String dpi, @RestForm(TEXT_LAYER) String textLayerField,
            @RestQuery(TEXT_LAYER) String textLayerQuery, @RestForm(PASSWORD) String password,
            @RestForm(PAGE_EVENTS) String pageEventsField, @RestQuery(PAGE_EVENTS) String pageEventsQuery,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return submitted(submitParts(image, options(det, cls, rec, TuningParameters.read(tuningQuery, tuningForm)),
                oneOf(CALLBACK_URL, callbackField, callbackQuery),
                scheduling.withForm(deadlineField, timeoutField, policyField, priorityField), idempotencyKey,
                documentRequest(pages, dpi, textLayer(textLayerField, textLayerQuery), password,
                        oneOf(PAGE_EVENTS, pageEventsField, pageEventsQuery))));
    }

    // Documented with submitMultipart: the OpenAPI scanner merges both into one operation
    @POST
    @Path("/async")
    @Consumes({RAW_TYPES, PDF, MediaType.APPLICATION_OCTET_STREAM})
    public Response submitRaw(byte[] body, @RestQuery(CALLBACK_URL) String callbackUrl, @RestQuery(DET) String det,
            @RestQuery(CLS) String cls, @RestQuery(REC) String rec, @BeanParam TuningParameters.Query tuningQuery,
            @BeanParam SchedulingParameters scheduling, @RestQuery(PAGES) String pages,
            @RestQuery(DPI) String dpi, @RestQuery(TEXT_LAYER) String textLayer,
            @RestQuery(PAGE_EVENTS) String pageEvents,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        OcrOptions options = options(det, cls, rec, TuningParameters.read(tuningQuery, TuningParameters.Form.NONE));
        return submitted(submitBody(body, contentType, options, documentRequest(pages, dpi,
                JobSubmitter.textLayer(TEXT_LAYER, textLayer), null, pageEvents), callbackUrl, scheduling,
                idempotencyKey));
    }

    private Response submitted(OcrJob job) {
        return answers.submitted(job);
    }

    private static OcrOptions options(String det, String cls, String rec, Tuning tuning) {
        return new OcrOptions(JobSubmitter.flag(DET, det), JobSubmitter.flag(CLS, cls), JobSubmitter.flag(REC, rec),
                tuning);
    }

    private JobSubmitter.DocumentRequest documentRequest(String pages, String dpi, TextLayer textLayer,
            String password, String pageEvents) {
        return JobSubmitter.DocumentRequest.of(pages, dpi, textLayer, password, pageEvents, documents);
    }

    private OcrJob submitBody(byte[] body, String contentType, OcrOptions options,
            JobSubmitter.DocumentRequest document, String callbackUrl, SchedulingParameters scheduling,
            String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        return submitter.submit(body, isPdf(contentType), options, callbackUrl, idempotencyKey, document,
                caller.tenant(), scheduling.schedule(Instant.now()), scheduling.policy());
    }

    /** One upload, an image or a document; several, the pages of one document. */
    private OcrJob submitParts(List<FileUpload> parts, OcrOptions options, String callbackUrl,
            SchedulingParameters scheduling, String idempotencyKey, JobSubmitter.DocumentRequest document) {
        checkIdempotencyKey(idempotencyKey);
        Schedule schedule = scheduling.schedule(Instant.now());
        if (parts != null && parts.size() > 1) {
            return submitter.submitPages(parts.stream().map(this::read).toList(), options, callbackUrl,
                    idempotencyKey, document, caller.tenant(), schedule, scheduling.policy());
        }
        FileUpload upload = upload(parts);
        return submitter.submit(read(upload), isPdf(upload.contentType()), options, callbackUrl, idempotencyKey,
                document, caller.tenant(), schedule, scheduling.policy());
    }

    private static boolean isPdf(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(PDF);
    }

    private Uni<Response> awaitResult(OcrJob job, ResultView.Rendering rendering) {
        return waiter.awaitFinal(job.id(), config.syncTimeout())
                .map(found -> answers.current(found.orElse(job), true, rendering, PageSelection.parse(null)));
    }

    private static FileUpload upload(List<FileUpload> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new ApiException(ErrorCode.IMAGE_MISSING,
                    "The multipart request has no '" + IMAGE_PART + "' part: send the image as the form field '"
                            + IMAGE_PART + "'");
        }
        return parts.get(0);
    }

    private byte[] read(FileUpload upload) {
        submitter.checkSize(upload.size()); // before reading the upload into memory
        try {
            return Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the uploaded part " + upload.uploadedFile(), e);
        }
    }

    /**
     * An option that comes as a form field or in the query, not both (the callback URL, the tuning options);
     * whether its value is acceptable is decided later.
     */
    static String oneOf(String name, String formValue, String queryValue) {
        if (formValue != null && queryValue != null) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'" + name + "' is given both as a form field and as a query parameter");
        }
        return formValue != null ? formValue : queryValue;
    }


    private static TextLayer textLayer(String formValue, String queryValue) {
        return JobSubmitter.textLayer(TEXT_LAYER, oneOf(TEXT_LAYER, formValue, queryValue));
    }

    private static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "The " + IDEMPOTENCY_KEY
                    + " header must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters");
        }
    }
}
