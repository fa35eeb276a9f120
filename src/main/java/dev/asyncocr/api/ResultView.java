package dev.asyncocr.api;

import dev.asyncocr.format.ResultFormat;
import dev.asyncocr.job.ErrorCode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How a client wants a finished job's result, from the request that reads it ({@code GET /ocr/result/{id}},
 * {@code POST /ocr}): {@code ?format=} names a format; without it an Accept header selects one of the
 * formats whose media type is unambiguous ({@code text/plain}, {@code application/json}), and anything
 * else, a browser's {@code text/html, *}{@code /*} included, gets JSON. {@code ?words=true} adds word
 * boxes to the JSON.
 */
public record ResultView(@RestQuery(ResultFormat.PARAMETER) String format, @RestQuery(WORDS) String words,
        @RestHeader(HttpHeaders.ACCEPT) String accept) {

    /** The query parameter that adds each line's words to the JSON. */
    public static final String WORDS = "words";

    /**
     * What the request asks for, resolved.
     *
     * @param words whether the JSON lists each line's words
     */
    record Rendering(ResultFormat format, boolean words) {
    }

    /**
     * What the request asks for; read before the job is looked up, so that a bad request fails whatever
     * the job's state.
     *
     * @throws ApiException {@link ErrorCode#NOT_ACCEPTABLE} for a format we do not write
     */
    Rendering rendering() {
        return new Rendering(resolvedFormat(), words != null && JobSubmitter.flag(WORDS, words));
    }

    private ResultFormat resolvedFormat() {
        if (format != null) {
            return ResultFormat.named(format).orElseThrow(() -> new ApiException(ErrorCode.NOT_ACCEPTABLE,
                    "Unknown " + ResultFormat.PARAMETER + " '" + format + "': one of " + ResultFormat.names()));
        }
        return accepted().stream()
                .flatMap(type -> Arrays.stream(ResultFormat.values())
                        .filter(f -> f.byAccept() && MediaType.valueOf(f.mediaType()).isCompatible(type)
                                && !type.isWildcardType() && !type.isWildcardSubtype()))
                .findFirst().orElse(ResultFormat.JSON);
    }

    /** The Accept header's media types, most preferred first. */
    private List<MediaType> accepted() {
        if (accept == null || accept.isBlank()) {
            return List.of();
        }
        return Arrays.stream(accept.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(ResultView::mediaType).filter(t -> quality(t) > 0)
                .sorted(Comparator.comparingDouble(ResultView::quality).reversed()).toList();
    }

    private static MediaType mediaType(String text) {
        try {
            return MediaType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "The Accept header holds '" + text
                    + "', which is not a media type");
        }
    }

    private static double quality(MediaType type) {
        try {
            return Double.parseDouble(type.getParameters().getOrDefault("q", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
