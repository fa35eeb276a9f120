package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.job.JobService;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.ocr.ImageDecoder;
import dev.asyncocr.ocr.OcrOptions;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Locale;

/**
 * Submits images. {@code POST /ocr/async} answers 202 with the job's id at once; {@code POST /ocr} goes
 * through the same queue and waits for the result up to {@code ocr.api.sync-timeout}. The image comes
 * as the {@code image} part of a multipart form or as the raw body; {@code det}, {@code cls} and
 * {@code rec} switch the pipeline stages (default true). An image is checked (size, format, pixel
 * count from its header) before anything is queued, so a bad one is refused at once.
 */
@Path("/ocr")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class OcrResource {

    /** The multipart part that carries the image. */
    static final String IMAGE_PART = "image";
    /** Where to send the completion event: a form field or a query parameter. */
    static final String CALLBACK_URL = "callback_url";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    private static final int MAX_CALLBACK_URL_LENGTH = 2048;
    private static final String RAW_TYPES = "image/*";

    private final JobService jobs;
    private final ImageDecoder decoder;
    private final ApiConfig config;

    public OcrResource(JobService jobs, ImageDecoder decoder, ApiConfig config) {
        this.jobs = jobs;
        this.decoder = decoder;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response recognizeMultipart(@RestForm(IMAGE_PART) FileUpload image,
            @RestForm(CALLBACK_URL) String callbackField, @RestQuery(CALLBACK_URL) String callbackQuery,
            @RestQuery String det, @RestQuery String cls, @RestQuery String rec,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        OcrJob job = submit(upload(image), det, cls, rec, callback(callbackField, callbackQuery), idempotencyKey);
        return awaitResult(job);
    }

    @POST
    @Consumes({RAW_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    public Response recognizeRaw(byte[] body, @RestQuery(CALLBACK_URL) String callbackUrl, @RestQuery String det,
            @RestQuery String cls, @RestQuery String rec, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return awaitResult(submit(raw(body), det, cls, rec, callback(null, callbackUrl), idempotencyKey));
    }

    @POST
    @Path("/async")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response submitMultipart(@RestForm(IMAGE_PART) FileUpload image,
            @RestForm(CALLBACK_URL) String callbackField, @RestQuery(CALLBACK_URL) String callbackQuery,
            @RestQuery String det, @RestQuery String cls, @RestQuery String rec,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return JobResponses.submitted(
                submit(upload(image), det, cls, rec, callback(callbackField, callbackQuery), idempotencyKey));
    }

    @POST
    @Path("/async")
    @Consumes({RAW_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    public Response submitRaw(byte[] body, @RestQuery(CALLBACK_URL) String callbackUrl, @RestQuery String det,
            @RestQuery String cls, @RestQuery String rec, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return JobResponses.submitted(submit(raw(body), det, cls, rec, callback(null, callbackUrl), idempotencyKey));
    }

    private OcrJob submit(byte[] image, String det, String cls, String rec, String callbackUrl,
            String idempotencyKey) {
        OcrOptions options = new OcrOptions(flag("det", det), flag("cls", cls), flag("rec", rec));
        checkIdempotencyKey(idempotencyKey);
        decoder.inspect(image); // format and pixel count from the header: refused now, not in the worker
        return jobs.submit(image, options, callbackUrl, idempotencyKey);
    }

    private Response awaitResult(OcrJob job) {
        return JobResponses.current(jobs.awaitFinal(job.id(), config.syncTimeout()).orElse(job), true);
    }

    private byte[] upload(FileUpload image) {
        if (image == null) {
            throw new ApiException(ErrorCode.IMAGE_MISSING,
                    "The multipart request has no '" + IMAGE_PART + "' part: send the image as the form field '"
                            + IMAGE_PART + "'");
        }
        checkSize(image.size()); // before reading the upload into memory
        try {
            return Files.readAllBytes(image.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the uploaded part " + image.uploadedFile(), e);
        }
    }

    private byte[] raw(byte[] body) {
        byte[] image = body == null ? new byte[0] : body;
        checkSize(image.length);
        return image;
    }

    private void checkSize(long bytes) {
        if (bytes == 0) {
            throw new ApiException(ErrorCode.IMAGE_MISSING, "The image is empty (0 bytes)");
        }
        if (bytes > config.maxBytes()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The image has " + bytes + " bytes; the limit is " + config.maxBytes() + " bytes");
        }
    }

    /** The callback URL from the form or the query (not both): an absolute http(s) URL. */
    private static String callback(String formValue, String queryValue) {
        if (formValue != null && queryValue != null) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "'" + CALLBACK_URL + "' is given both as a form field and as a query parameter");
        }
        String value = formValue != null ? formValue : queryValue;
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            if (value.length() <= MAX_CALLBACK_URL_LENGTH && uri.getHost() != null
                    && (scheme.equals("http") || scheme.equals("https"))) {
                return value;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + CALLBACK_URL
                + "' must be an absolute http or https URL of at most " + MAX_CALLBACK_URL_LENGTH + " characters");
    }

    private static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "The " + IDEMPOTENCY_KEY
                    + " header must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters");
        }
    }

    /** Absent means true; anything but true/false (any case) is refused rather than read as false. */
    static boolean flag(String name, String value) {
        if (value == null) {
            return true;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "Query parameter '" + name + "' must be true or false, not '" + value + "'");
        };
    }
}
