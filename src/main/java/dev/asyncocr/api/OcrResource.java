package dev.asyncocr.api;

import dev.asyncocr.config.ApiConfig;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;

/**
 * {@code POST /ocr}: recognises one image and answers with the result. The image comes either as the
 * {@code image} part of a multipart form or as the raw body; {@code det}, {@code cls} and {@code rec}
 * switch the pipeline stages (default true). Both variants run on a worker thread: the pipeline does
 * blocking native work that must never run on the event loop.
 */
@Path("/ocr")
public class OcrResource {

    /** The multipart part that carries the image. */
    static final String IMAGE_PART = "image";

    private final OcrPipeline pipeline;
    private final ApiConfig config;

    public OcrResource(OcrPipeline pipeline, ApiConfig config) {
        this.pipeline = pipeline;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public OcrResponse recognizeMultipart(@RestForm(IMAGE_PART) FileUpload image, @RestQuery String det,
            @RestQuery String cls, @RestQuery String rec) {
        OcrOptions options = options(det, cls, rec);
        if (image == null) {
            throw new ApiException(ErrorCode.IMAGE_MISSING,
                    "The multipart request has no '" + IMAGE_PART + "' part: send the image as the form field '"
                            + IMAGE_PART + "'");
        }
        checkSize(image.size()); // before reading the upload into memory
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(image.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the uploaded part " + image.uploadedFile(), e);
        }
        return recognize(bytes, options);
    }

    @POST
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public OcrResponse recognizeRaw(byte[] body, @RestQuery String det, @RestQuery String cls,
            @RestQuery String rec) {
        OcrOptions options = options(det, cls, rec);
        byte[] image = body == null ? new byte[0] : body;
        checkSize(image.length);
        return recognize(image, options);
    }

    private OcrResponse recognize(byte[] image, OcrOptions options) {
        return OcrResponse.from(pipeline.run(image, options));
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

    private static OcrOptions options(String det, String cls, String rec) {
        return new OcrOptions(flag("det", det), flag("cls", cls), flag("rec", rec));
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
