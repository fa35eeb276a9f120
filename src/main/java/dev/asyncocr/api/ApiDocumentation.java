package dev.asyncocr.api;

import dev.asyncocr.format.DocumentResponse;
import dev.asyncocr.format.ErrorResponse;
import dev.asyncocr.format.OcrResponse;
import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.job.EventTypes;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAPI components that several operations share, written once: the resources name them with
 * {@code ref} (the document says {@code $ref: '#/components/responses/Error'} and so on), and where an
 * operation's answer means more, its {@code description} beside the reference says so (OpenAPI 3.1).
 * <p>
 * An {@link Application} only because SmallRye reads {@code @OpenAPIDefinition} there (or on a package-info):
 * without {@code @ApplicationPath} and with the default, empty {@code getClasses()}, every resource keeps its
 * path and registration. The title and version the annotation requires are replaced by
 * {@code quarkus.smallrye-openapi.info-*}.
 */
@OpenAPIDefinition(info = @Info(title = "async-ocr", version = "from quarkus.smallrye-openapi.info-version"),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = ApiDocumentation.BEARER,
                        type = SecuritySchemeType.HTTP, scheme = "bearer",
                        description = "With ocr.auth.enabled=true: an API key (ocr.auth.api-keys) or a JWT signed by the"
                                + " configured key (ocr.auth.jwt.*); it names the tenant that owns the jobs. Off by"
                                + " default: then no credential is needed"),
                responses = {
                        @APIResponse(name = ApiDocumentation.UNAUTHENTICATED, description = "UNAUTHENTICATED: "
                                + "authentication is on and the Authorization: Bearer credential is absent or not valid"
                                + " (unknown key; expired, badly signed or foreign token); nothing was done",
                                headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE,
                                        description = "Bearer realm=\"async-ocr\", with error=\"invalid_token\" for a"
                                                + " credential that is not valid",
                                        schema = @Schema(type = SchemaType.STRING)),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = ApiDocumentation.ERROR, description = "The error: its code and message",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = ApiDocumentation.IMAGE_TOO_LARGE,
                                description = "PAYLOAD_TOO_LARGE (bytes) or IMAGE_TOO_LARGE (pixels)",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = ApiDocumentation.INTERNAL_ERROR,
                                description = "INTERNAL_ERROR: the service is at fault",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = ApiDocumentation.TENANT_QUOTA, description = "TENANT_QUOTA: the"
                                + " tenant has ocr.tenant.max-queued pages queued or running; nothing was kept, retry"
                                + " later",
                                headers = @Header(name = HttpHeaders.RETRY_AFTER,
                                        description = "Seconds until the tenant's work ahead should have made room",
                                        schema = @Schema(type = SchemaType.INTEGER)),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = ApiDocumentation.UNAVAILABLE,
                                description = "QUEUE_FULL, BROKER_UNAVAILABLE or STORE_UNAVAILABLE: nothing was kept, "
                                        + "retry later",
                                headers = @Header(name = HttpHeaders.RETRY_AFTER,
                                        description = "Seconds to wait before retrying",
                                        schema = @Schema(type = SchemaType.INTEGER)),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = ApiDocumentation.RESULT, description = "Succeeded (a document: succeeded"
                                + " or partially_succeeded): the result, in the format ?format= names (json, text, "
                                + "hocr, alto, pdf) or, without it, that Accept selects (text/plain, application/pdf;"
                                + " anything else gets JSON). In JSON, an image's OcrResponse or a document's "
                                + "DocumentResponse",
                                content = {@Content(mediaType = ResultFormat.JSON_TYPE, schema = @Schema(
                                        oneOf = {OcrResponse.class, DocumentResponse.class})),
                                        @Content(mediaType = ResultFormat.TEXT_TYPE, schema = @Schema(
                                                type = SchemaType.STRING, description = "format=text: the lines in "
                                                + "reading order, one per line; pages separated by a form feed")),
                                        @Content(mediaType = ResultFormat.HOCR_TYPE, schema = @Schema(
                                                type = SchemaType.STRING, description = "format=hocr: hOCR 1.2 "
                                                + "(XHTML): ocr_page, ocr_line, ocrx_word with bbox and x_wconf")),
                                        @Content(mediaType = ResultFormat.ALTO_TYPE, schema = @Schema(
                                                type = SchemaType.STRING, description = "format=alto: ALTO 4.4 "
                                                + "XML: Page, PrintSpace, TextBlock, TextLine, String with WC")),
                                        @Content(mediaType = ResultFormat.PDF_TYPE, schema = @Schema(
                                                type = SchemaType.STRING, format = "binary", description = "format=pdf:"
                                                + " a searchable PDF, the image as uploaded with the text invisible on "
                                                + "each word's box"))}),
                        @APIResponse(name = ApiDocumentation.PENDING, description = "Not finished: poll Location",
                                headers = {@Header(name = HttpHeaders.LOCATION, ref = ApiDocumentation.LOCATION),
                                        @Header(name = HttpHeaders.RETRY_AFTER,
                                                description = "Seconds to wait before polling",
                                                schema = @Schema(type = SchemaType.INTEGER))},
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = JobResponses.JobStatusResponse.class))),
                        @APIResponse(name = ApiDocumentation.PAGE_PENDING,
                                description = "The page is queued or processing: poll again after Retry-After",
                                headers = {@Header(name = HttpHeaders.LOCATION, ref = ApiDocumentation.LOCATION),
                                        @Header(name = HttpHeaders.RETRY_AFTER,
                                                description = "Seconds to wait before polling",
                                                schema = @Schema(type = SchemaType.INTEGER))},
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = DocumentResponse.Page.class)))},
                headers = @Header(name = ApiDocumentation.LOCATION, description = "The job's result URL: relative"
                        + " (/ocr/result/{id}), or absolute on ocr.api.public-url when set, or on the proxy's scheme and"
                        + " host when quarkus.http.proxy.proxy-address-forwarding is on",
                        schema = @Schema(type = SchemaType.STRING)),
                parameters = {
                        @Parameter(name = OcrResource.DET, in = ParameterIn.QUERY,
                                description = "Detect text lines; false: the image is one line",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"},
                                        defaultValue = "true")),
                        @Parameter(name = OcrResource.CLS, in = ParameterIn.QUERY,
                                description = "Turn upside-down lines; adds angle to lines",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"},
                                        defaultValue = "true")),
                        @Parameter(name = OcrResource.REC, in = ParameterIn.QUERY,
                                description = "Recognise the text; false: boxes only",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"},
                                        defaultValue = "true")),
                        @Parameter(name = TuningParameters.DET_SIZE, in = ParameterIn.QUERY,
                                description = "How the page is scaled for the detector: text:N (read again larger"
                                        + " when the smallest text found is under N pixels tall, N at least 8),"
                                        + " min:N (short side up to N), max:N (long side down to N; N at least 32);"
                                        + " default ocr.detection.size (text:32). Or the form field of that name",
                                schema = @Schema(type = SchemaType.STRING, pattern = "^(text|min|max):[0-9]+$",
                                        example = "max:960")),
                        @Parameter(name = TuningParameters.DET_THRESH, in = ParameterIn.QUERY,
                                description = "A pixel is text at this probability or above: lower finds fainter"
                                        + " text; default ocr.detection.thresh (0.3). Or the form field",
                                schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")),
                        @Parameter(name = TuningParameters.BOX_THRESH, in = ParameterIn.QUERY,
                                description = "A box is kept when its mean probability reaches this: higher drops"
                                        + " doubtful boxes; default ocr.detection.box-thresh (0.5). Or the form field",
                                schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")),
                        @Parameter(name = TuningParameters.UNCLIP_RATIO, in = ParameterIn.QUERY,
                                description = "How far a box grows around its text (area x ratio / perimeter);"
                                        + " default ocr.detection.unclip-ratio (1.6). Or the form field",
                                schema = @Schema(type = SchemaType.NUMBER, minimum = "1", maximum = "4")),
                        @Parameter(name = TuningParameters.MIN_CONFIDENCE, in = ParameterIn.QUERY,
                                description = "Detected lines recognised with less confidence are dropped;"
                                        + " default ocr.recognition.min-confidence (0.5). Or the form field",
                                schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")),
                        @Parameter(name = OcrResource.CALLBACK_URL, in = ParameterIn.QUERY,
                                description = "Absolute http(s) URL for the completion event"
                                        + " (or the form field of that name)",
                                schema = @Schema(type = SchemaType.STRING)),
                        @Parameter(name = OcrResource.PAGE_EVENTS, in = ParameterIn.QUERY,
                                description = "A document's: true sends a " + EventTypes.PAGE_COMPLETED + " event"
                                        + " for each page as it turns final, to the targets of the completion event"
                                        + " (signed and retried alike; ignored for an image). Or the form field",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"},
                                        defaultValue = "false")),
                        @Parameter(name = SchedulingParameters.DEADLINE, in = ParameterIn.QUERY,
                                description = "RFC 3339 time (with offset) by which a worker must start the job;"
                                        + " not started by then, it expires unrun (or the form field of that name)",
                                schema = @Schema(type = SchemaType.STRING, format = "date-time")),
                        @Parameter(name = SchedulingParameters.TIMEOUT, in = ParameterIn.QUERY,
                                description = "Seconds from now by which a worker must start the job (1 to 86400),"
                                        + " instead of deadline (or the form field of that name)",
                                schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "86400")),
                        @Parameter(name = SchedulingParameters.DEADLINE_POLICY, in = ParameterIn.QUERY,
                                description = "With deadline or timeout: reject answers 409 DEADLINE_UNREACHABLE at"
                                        + " once when the job's estimated start is after its deadline; expire queues"
                                        + " it all the same (or the form field of that name)",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"expire", "reject"},
                                        defaultValue = "expire")),
                        @Parameter(name = OcrResource.TEXT_LAYER, in = ParameterIn.QUERY,
                                description = "For a PDF: auto takes a page's own text where it has a real text"
                                        + " layer (the page's source is then pdf) and recognises the others; ocr"
                                        + " recognises every page (or the form field of that name)",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"auto", "ocr"},
                                        defaultValue = "auto")),
                        @Parameter(name = SchedulingParameters.PRIORITY, in = ParameterIn.QUERY,
                                description = "The lane the job waits in: workers start every queued high job"
                                        + " before any normal one, every normal one before any low one; a low job"
                                        + " that waited ocr.queue.max-low-wait goes first (or the form field of"
                                        + " that name)",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"high", "normal", "low"},
                                        defaultValue = "normal")),
                        @Parameter(name = ResultFormat.PARAMETER, in = ParameterIn.QUERY,
                                description = "The result's format (default json; 406 for another); "
                                        + "without it, Accept: text/plain selects text, Accept: application/pdf pdf",
                                schema = @Schema(type = SchemaType.STRING,
                                        enumeration = {"json", "text", "hocr", "alto", "pdf"}, defaultValue = "json")),
                        @Parameter(name = ResultView.WORDS, in = ParameterIn.QUERY,
                                description = "List each line's words (text, confidence, box) in the JSON",
                                schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"},
                                        defaultValue = "false")),
                        @Parameter(name = OcrResource.IDEMPOTENCY_KEY, in = ParameterIn.HEADER,
                                description = "Up to 255 visible ASCII characters:"
                                        + " a resubmission with it returns the first job",
                                schema = @Schema(type = SchemaType.STRING))}))
public class ApiDocumentation extends Application {

    /** Any error answer: an {@link ErrorResponse}; the referring operation describes its codes. */
    public static final String ERROR = "Error";
    /** 413: the image is too large, in bytes or pixels. */
    public static final String IMAGE_TOO_LARGE = "ImageTooLarge";
    /** 500: the service is at fault. */
    public static final String INTERNAL_ERROR = "InternalError";
    /** 401 with WWW-Authenticate: no valid credential, with authentication on. */
    public static final String UNAUTHENTICATED = "Unauthenticated";
    /** The bearer security scheme: an API key or a JWT, with authentication on. */
    public static final String BEARER = "bearer";
    /** 429 with Retry-After: the tenant's quota is full. */
    public static final String TENANT_QUOTA = "TenantQuota";
    /** 503 with Retry-After: the submission was not kept. */
    public static final String UNAVAILABLE = "Unavailable";
    /** 200 of a succeeded job: its result in each format. */
    static final String RESULT = "Result";
    /** 202 of a job still running: its Location and when to poll it. */
    static final String PENDING = "Pending";
    /** 202 of a document's page still pending: the page's status, its Location and when to poll it. */
    static final String PAGE_PENDING = "PagePending";
    /** The header of a 202 that points to the job's result. */
    public static final String LOCATION = "Location";
}
