package dev.asyncocr.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.api.ApiException;
import dev.asyncocr.api.ErrorCode;
import dev.asyncocr.api.JobResponses;
import dev.asyncocr.api.JobSubmitter;
import dev.asyncocr.config.CallbackConfig;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.OcrOptions;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
public class EventIngressResource {

    /** Extension attributes that carry the options (CloudEvents names are lower-case alphanumerics). */
    static final String DET = "ocrdet";
    static final String CLS = "ocrcls";
    static final String REC = "ocrrec";
    static final String CALLBACK_URL = "callbackurl";

    private final JobSubmitter submitter;
    private final CallbackConfig config;
    private final ObjectMapper json;

    public EventIngressResource(JobSubmitter submitter, CallbackConfig config, ObjectMapper json) {
        this.submitter = submitter;
        this.config = config;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(byte[] body, @Context HttpHeaders headers) {
        CloudEvent event = read(headers, body);
        if (!EventTypes.REQUESTED.equals(event.getType())) {
            throw new ApiException(ErrorCode.EVENT_TYPE_UNSUPPORTED, "Events of type '" + event.getType()
                    + "' are not handled here; send type '" + EventTypes.REQUESTED + "'");
        }
        String type = event.getDataContentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("image/")
                && !type.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_OCTET_STREAM)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The event's datacontenttype is '" + type + "'; it must be an image/* type");
        }
        OcrOptions options = new OcrOptions(option(event, DET), option(event, CLS), option(event, REC));
        Object callback = event.getExtension(CALLBACK_URL);
        byte[] image = event.getData() == null ? null : event.getData().toBytes();
        OcrJob job = submitter.submit(image, options, callback == null ? null : callback.toString(),
                "cloudevent " + event.getSource() + " " + event.getId());
        return accepted(job);
    }

    private static CloudEvent read(HttpHeaders headers, byte[] body) {
        try {
            return HttpMessageFactory.createReaderFromMultimap(headers.getRequestHeaders(), body).toEvent();
        } catch (RuntimeException e) { // the SDK's CloudEventRWException, or a builder refusing missing attributes
            throw new ApiException(ErrorCode.EVENT_MALFORMED, "Not a valid CloudEvent (binary or structured HTTP "
                    + "mode, specversion 1.0, with id, source and type): " + e.getMessage());
        }
    }

    private static boolean option(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return JobSubmitter.flag(name, value == null ? null : value.toString());
    }

    private Response accepted(OcrJob job) {
        byte[] data;
        try {
            data = json.writeValueAsBytes(JobResponses.submittedBody(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer for job " + job.id(), e);
        }
        CloudEvent reply = CloudEventBuilder.v1().withId(job.id() + ".accepted").withSource(config.source())
                .withType(EventTypes.ACCEPTED).withSubject(job.id()).withDataContentType(MediaType.APPLICATION_JSON)
                .withData(data).build();
        Response.ResponseBuilder response = Response.accepted().location(JobResponses.location(job));
        HttpMessageFactory.createWriter(response::header, response::entity).writeBinary(reply);
        return response.build();
    }
}
