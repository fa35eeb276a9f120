package dev.asyncocr.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.api.OcrResponse;
import dev.asyncocr.ocr.OcrResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sends images to a running service's {@code POST /ocr} and times what a client sees, for {@link Benchmark}. */
final class ServiceCaller {

    static final String WALL = "wall";
    static final String EXTRA = "extra";
    /** What a call reports: the job's wait and pipeline time, the client's wall time, and the difference. */
    static final List<String> TIMINGS = List.of(OcrResponse.QUEUE, OcrResult.TOTAL, WALL, EXTRA);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI endpoint;

    ServiceCaller(URI service) {
        this.endpoint = service.resolve("/ocr");
    }

    Map<String, Double> run(byte[] image) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        try {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            double wall = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + endpoint + " answered " + response.statusCode() + ": "
                        + new String(response.body()));
            }
            JsonNode timings = json.readTree(response.body()).get("timings_ms");
            Map<String, Double> measured = new HashMap<>();
            measured.put(OcrResponse.QUEUE, timings.get(OcrResponse.QUEUE).asDouble());
            measured.put(OcrResult.TOTAL, timings.get(OcrResult.TOTAL).asDouble());
            measured.put(WALL, wall);
            measured.put(EXTRA, wall - timings.get(OcrResult.TOTAL).asDouble());
            return measured;
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
