package dev.asyncocr.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.AuthConfig;
import dev.asyncocr.config.CallbackConfig;
import dev.asyncocr.config.DocumentConfig;
import dev.asyncocr.job.DeadlinePolicy;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.EventTypes;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.Tuning;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.Locale;

/**
 * {@code POST /}: CloudEvents ingress, for Knative triggers and any CloudEvents producer. An event of type
 * {@link EventTypes#REQUESTED} carries the image as its data (the body in binary mode, {@code data_base64}
 * in structured mode) and options as extension attributes; it goes through the same checks and queue as
 * {@code POST /ocr/async}. The event's source and id are its idempotency key, so a redelivery of the same
 * event returns the same job. The answer is itself a CloudEvent ({@link EventTypes#ACCEPTED}), as Knative
 * brokers accept only an empty or CloudEvent reply; its data is the usual {@code {"request_id","status"}}.
 */
@Path("/")
@Blocking
@Tag(name = "CloudEvents", description = "Submit an image as a CloudEvent, e.g. from a Knative Trigger")
public class EventIngressResource {

    /** Extension attributes that carry the options (CloudEvents names are lower-case alphanumerics). */
    static final String DET = "ocrdet";
    static final String CLS = "ocrcls";
    static final String REC = "ocrrec";
    static final String DET_SIZE = "ocrdetsize";
    static final String DET_THRESH = "ocrdetthresh";
    static final String BOX_THRESH = "ocrboxthresh";
    static final String UNCLIP_RATIO = "ocrunclipratio";
    static final String MIN_CONFIDENCE = "ocrminconfidence";
    static final String CALLBACK_URL = "callbackurl";
    /** A PDF's {@code text_layer}: auto or ocr. */
    static final String TEXT_LAYER = "ocrtextlayer";
    /** The RFC 3339 time by which a worker must start the job, else it expires unrun. */
    static final String DEADLINE = "ocrdeadline";
    /** For a document: whether each page sends an event as it turns final ({@code page_events}). */
    static final String PAGE_EVENTS = "ocrpageevents";
    /** The job's lane: high, normal (the default) or low. */
    static final String PRIORITY = "ocrpriority";
    private static final String PDF = OcrResource.PDF;
    /** The most characters of an event's id, and of its source: each half of its idempotency key. */
    private static final int MAX_KEY_PART_LENGTH = 255;

    private final JobSubmitter submitter;
    private final JobService jobs;
    private final CallbackConfig config;
    private final DocumentConfig documents;
    private final ObjectMapper json;
    private final AuthConfig auth;
    private final Caller caller;

    public EventIngressResource(JobSubmitter submitter, JobService jobs, CallbackConfig config,
            DocumentConfig documents, ObjectMapper json, AuthConfig auth, Caller caller) {
        this.submitter = submitter;
        this.documents = documents;
        this.auth = auth;
        this.caller = caller;
        this.jobs = jobs;
        this.config = config;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Queue the image of a " + EventTypes.REQUESTED + " event; the reply is a CloudEvent")
    @RequestBody(required = true, description = "Binary mode: the image, with ce- headers; structured mode: the event",
            content = {@Content(mediaType = "image/*", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/cloudevents+json", schema = @Schema(type = SchemaType.OBJECT,
                            requiredProperties = {"specversion", "id", "source", "type", "data_base64"},
                            properties = {
                                    @SchemaProperty(name = "specversion", type = SchemaType.STRING,
                                            constValue = "1.0"),
                                    @SchemaProperty(name = "id", type = SchemaType.STRING),
                                    @SchemaProperty(name = "source", type = SchemaType.STRING),
                                    @SchemaProperty(name = "type", type = SchemaType.STRING,
                                            constValue = EventTypes.REQUESTED),
                                    @SchemaProperty(name = "datacontenttype", type = SchemaType.STRING),
                                    @SchemaProperty(name = "data_base64", type = SchemaType.STRING,
                                            description = "The image, base64"),
                                    @SchemaProperty(name = DET, type = SchemaType.STRING),
                                    @SchemaProperty(name = CLS, type = SchemaType.STRING),
                                    @SchemaProperty(name = REC, type = SchemaType.STRING),
                                    @SchemaProperty(name = DET_SIZE, type = SchemaType.STRING),
                                    @SchemaProperty(name = DET_THRESH, type = SchemaType.STRING),
                                    @SchemaProperty(name = BOX_THRESH, type = SchemaType.STRING),
                                    @SchemaProperty(name = UNCLIP_RATIO, type = SchemaType.STRING),
                                    @SchemaProperty(name = MIN_CONFIDENCE, type = SchemaType.STRING),
                                    @SchemaProperty(name = CALLBACK_URL, type = SchemaType.STRING),
                                    @SchemaProperty(name = DEADLINE, type = SchemaType.STRING,
                                            format = "date-time"),
                                    @SchemaProperty(name = EventTypes.TENANT, type = SchemaType.STRING,
                                            description = "The job's tenant; only with the ingress's token"),
                                    @SchemaProperty(name = PAGE_EVENTS, type = SchemaType.STRING,
                                            enumeration = {"true", "false"}),
                                    @SchemaProperty(name = PRIORITY, type = SchemaType.STRING,
                                            enumeration = {"high", "normal", "low"}, defaultValue = "normal")}))})
    @Parameter(name = "ce-specversion", in = ParameterIn.HEADER, description = "Binary mode: 1.0",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "ce-id", in = ParameterIn.HEADER, description = "Binary mode: with ce-source, the dedup key",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "ce-source", in = ParameterIn.HEADER, description = "Binary mode: the producer",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "ce-type", in = ParameterIn.HEADER, description = "Binary mode: " + EventTypes.REQUESTED,
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "ce-" + DET, in = ParameterIn.HEADER, description = "Detect text lines",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}, defaultValue = "true"))
    @Parameter(name = "ce-" + CLS, in = ParameterIn.HEADER, description = "Turn upside-down lines",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}, defaultValue = "true"))
    @Parameter(name = "ce-" + REC, in = ParameterIn.HEADER, description = "Recognise the text",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}, defaultValue = "true"))
    @Parameter(name = "ce-" + DET_SIZE, in = ParameterIn.HEADER, description = "As det_size on POST /ocr/async",
            schema = @Schema(type = SchemaType.STRING, pattern = "^(text|min|max):[0-9]+$"))
    @Parameter(name = "ce-" + DET_THRESH, in = ParameterIn.HEADER, description = "As det_thresh on POST /ocr/async",
            schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1"))
    @Parameter(name = "ce-" + BOX_THRESH, in = ParameterIn.HEADER, description = "As box_thresh on POST /ocr/async",
            schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1"))
    @Parameter(name = "ce-" + UNCLIP_RATIO, in = ParameterIn.HEADER, description = "As unclip_ratio on POST /ocr/async",
            schema = @Schema(type = SchemaType.NUMBER, minimum = "1", maximum = "4"))
    @Parameter(name = "ce-" + MIN_CONFIDENCE, in = ParameterIn.HEADER,
            description = "As min_confidence on POST /ocr/async",
            schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1"))
    @Parameter(name = "ce-" + CALLBACK_URL, in = ParameterIn.HEADER, description = "Where the completion event goes",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "ce-" + TEXT_LAYER, in = ParameterIn.HEADER, description = "As text_layer on POST /ocr/async",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"auto", "ocr"}, defaultValue = "auto"))
    @Parameter(name = "ce-" + DEADLINE, in = ParameterIn.HEADER, description = "RFC 3339 time by which a worker"
            + " must start the job, else it expires unrun", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(name = "ce-" + EventTypes.TENANT, in = ParameterIn.HEADER, description = "The job's tenant; honoured"
            + " only from a producer that sends the ingress's token (ocr.auth.ingress.token-sha256)",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "ce-" + PAGE_EVENTS, in = ParameterIn.HEADER, description = "A document's: true sends an "
            + EventTypes.PAGE_COMPLETED + " event for each page as it turns final", schema = @Schema(
            type = SchemaType.STRING, enumeration = {"true", "false"}, defaultValue = "false"))
    @Parameter(name = "ce-" + PRIORITY, in = ParameterIn.HEADER, description = "The job's lane, as priority on POST"
            + " /ocr/async", schema = @Schema(type = SchemaType.STRING, enumeration = {"high", "normal", "low"},
            defaultValue = "normal"))
    @APIResponse(responseCode = "202",
            description = "Queued (or this event's earlier job): a " + EventTypes.ACCEPTED + " event in binary mode",
            headers = {@Header(name = HttpHeaders.LOCATION, ref = ApiDocumentation.LOCATION),
                    @Header(name = "ce-type", schema = @Schema(type = SchemaType.STRING,
                            constValue = EventTypes.ACCEPTED)),
                    @Header(name = "ce-subject", description = "The request_id",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ce-id", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ce-source", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ce-specversion", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobResponses.JobStatusResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiDocumentation.ERROR, description = "EVENT_MALFORMED,"
            + " EVENT_TYPE_UNSUPPORTED, INVALID_PARAMETER, IMAGE_MISSING, IMAGE_UNDECODABLE, INVALID_CALLBACK_URL"
            + " or INVALID_REQUEST")
    @APIResponse(responseCode = "401", ref = ApiDocumentation.UNAUTHENTICATED, description = "With"
            + " ocr.auth.ingress.token-sha256: the Authorization: Bearer token is absent or not the ingress's")
    @APIResponse(responseCode = "413", ref = ApiDocumentation.IMAGE_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDocumentation.ERROR,
            description = "UNSUPPORTED_MEDIA_TYPE: a data type or image format not read")
    @APIResponse(responseCode = "422", ref = ApiDocumentation.ERROR,
            description = "IDEMPOTENCY_KEY_REUSED: this source and id came before with another image")
    @APIResponse(responseCode = "429", ref = ApiDocumentation.TENANT_QUOTA)
    @APIResponse(responseCode = "500", ref = ApiDocumentation.INTERNAL_ERROR)
    @APIResponse(responseCode = "503", ref = ApiDocumentation.UNAVAILABLE)
    public Response receive(byte[] body, @Context HttpHeaders headers) {
        CloudEvent event = read(headers, body);
        if (!EventTypes.REQUESTED.equals(event.getType())) {
            throw new ApiException(ErrorCode.EVENT_TYPE_UNSUPPORTED, "Events of type '" + event.getType()
                    + "' are not handled here; send type '" + EventTypes.REQUESTED + "'");
        }
        String type = event.getDataContentType() == null ? null : event.getDataContentType().toLowerCase(Locale.ROOT);
        boolean pdf = type != null && type.startsWith(PDF);
        if (type != null && !type.startsWith("image/") && !pdf && !type.startsWith(MediaType.APPLICATION_OCTET_STREAM)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The event's datacontenttype is '" + type + "'; it must be an image/* type or " + PDF);
        }
        OcrOptions options = new OcrOptions(option(event, DET), option(event, CLS), option(event, REC), new Tuning(
                JobSubmitter.detectionSize(DET_SIZE, extension(event, DET_SIZE)),
                JobSubmitter.number(DET_THRESH, extension(event, DET_THRESH), Tuning.PROBABILITY),
                JobSubmitter.number(BOX_THRESH, extension(event, BOX_THRESH), Tuning.PROBABILITY),
                JobSubmitter.number(UNCLIP_RATIO, extension(event, UNCLIP_RATIO), Tuning.UNCLIP_RATIO),
                JobSubmitter.number(MIN_CONFIDENCE, extension(event, MIN_CONFIDENCE), Tuning.PROBABILITY)));
        Object callback = event.getExtension(CALLBACK_URL);
        byte[] image = event.getData() == null ? null : event.getData().toBytes();
        Object deadline = event.getExtension(DEADLINE);
        Schedule schedule = new Schedule(deadline == null ? null
                : SchedulingParameters.deadline(DEADLINE, deadline.toString(), Instant.now()),
                SchedulingParameters.lane(PRIORITY, extension(event, PRIORITY)));
        OcrJob job = submitter.submit(image, pdf, options, callback == null ? null : callback.toString(),
                "cloudevent " + event.getSource() + " " + event.getId(),
                JobSubmitter.DocumentRequest.of(null, null, JobSubmitter.textLayer(TEXT_LAYER,
                        extension(event, TEXT_LAYER)), null, extension(event, PAGE_EVENTS), documents), tenant(event),
                schedule, DeadlinePolicy.EXPIRE);
        return accepted(job);
    }

    /**
     * The tenant of the event's job: the one it names, from a producer that sent the ingress's token only (anyone
     * who reaches the ingress could name any tenant otherwise), else {@code ocr.auth.ingress.tenant}, else none.
     */
    private String tenant(CloudEvent event) {
        Object named = event.getExtension(EventTypes.TENANT);
        if (named == null) {
            return auth.ingress().tenant().orElse(null);
        }
        if (!caller.trustedIngress()) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "The event names its tenant ('" + EventTypes.TENANT
                    + "'), which this ingress takes only from producers that send its token (ocr.auth.ingress."
                    + "token-sha256); leave it out");
        }
        if (!Authenticator.validTenant(named.toString())) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + EventTypes.TENANT + "' must be 1 to "
                    + Authenticator.MAX_TENANT_LENGTH + " characters without control characters");
        }
        return named.toString();
    }

    /**
     * The event, checked beyond what the SDK checks: CloudEvents 1.0 only, a non-empty id and source (together
     * the idempotency key, so each is bounded like an {@code Idempotency-Key}), and in binary mode a
     * Content-Type for the image. Refusals say what is wrong in CloudEvents terms, never the parser's.
     */
    private static CloudEvent read(HttpHeaders headers, byte[] body) {
        if (headers.getHeaderString("ce-specversion") != null && headers.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "A binary-mode event needs a Content-Type: the image's type, image/* or application/octet-stream");
        }
        CloudEvent event;
        try {
            event = HttpMessageFactory.createReaderFromMultimap(headers.getRequestHeaders(), body).toEvent();
        } catch (CloudEventRWException e) {
            throw malformed(switch (e.getKind()) {
                case INVALID_SPEC_VERSION -> "specversion must be 1.0";
                case INVALID_ATTRIBUTE_NAME, INVALID_EXTENSION_NAME -> "an attribute name is not lower-case letters and digits";
                case INVALID_ATTRIBUTE_TYPE, INVALID_ATTRIBUTE_VALUE ->
                        "an attribute has a value of the wrong kind (source must be a URI reference, time an RFC 3339 timestamp)";
                case INVALID_DATA_TYPE, DATA_CONVERSION -> "its data cannot be read (data_base64 must be base64)";
                case UNKNOWN_ENCODING -> "it is neither in binary mode (ce- headers) nor in structured mode"
                        + " (Content-Type application/cloudevents+json with a JSON object)";
                case OTHER -> "the structured event is not a JSON object with the CloudEvents attributes";
            });
        } catch (RuntimeException e) { // the builder refusing a missing attribute, or a structured body that is absent
            throw malformed("it lacks a required attribute (specversion, id, source, type) or, in structured mode, a body");
        }
        if (event.getSpecVersion() != SpecVersion.V1) {
            throw malformed("specversion must be 1.0, not " + event.getSpecVersion());
        }
        checkKeyPart("id", event.getId());
        checkKeyPart("source", event.getSource().toString());
        return event;
    }

    private static void checkKeyPart(String attribute, String value) {
        if (value.isEmpty() || value.length() > MAX_KEY_PART_LENGTH) {
            throw malformed(attribute + " must have 1 to " + MAX_KEY_PART_LENGTH + " characters, not " + value.length());
        }
    }

    private static ApiException malformed(String why) {
        return new ApiException(ErrorCode.EVENT_MALFORMED, "Not a valid CloudEvent: " + why + ". Send CloudEvents 1.0"
                + " in binary mode (ce-specversion, ce-id, ce-source, ce-type headers and the image as the body) or in"
                + " structured mode (application/cloudevents+json with the image in data_base64)");
    }

    private static boolean option(CloudEvent event, String name) {
        return JobSubmitter.flag(name, extension(event, name));
    }

    private static String extension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null ? null : value.toString();
    }

    private Response accepted(OcrJob job) {
        byte[] data;
        try {
            data = json.writeValueAsBytes(JobResponses.submittedBody(job, jobs.standing(job),
                    job.isDocument() ? jobs.progress(job.id()).orElse(null) : null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer for job " + job.id(), e);
        }
        CloudEvent reply = CloudEventBuilder.v1().withId(job.id() + ".accepted").withSource(config.source())
                .withType(EventTypes.ACCEPTED).withSubject(job.id()).withDataContentType(MediaType.APPLICATION_JSON)
                .withData(data).build();
        Response.ResponseBuilder response = Response.accepted().header(HttpHeaders.LOCATION, JobResponses.location(job));
        HttpMessageFactory.createWriter(response::header, response::entity).writeBinary(reply);
        return response.build();
    }
}
