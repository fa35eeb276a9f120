package dev.asyncocr.testing;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * The pipeline on the bundled models, loaded once for a test class and closed after it: register it as a
 * static {@code @RegisterExtension} field.
 */
public final class BundledPipeline implements BeforeAllCallback, AfterAllCallback {

    private Models models;
    private OcrPipeline pipeline;

    @Override
    public void beforeAll(ExtensionContext context) {
        models = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(1));
        pipeline = new OcrPipeline(models, new ImageDecoder(40_000_000L));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        models.close();
    }

    /** The recogniser's characters. */
    public List<String> dictionary() {
        return models.dictionary();
    }

    /** Every stage on one encoded image. */
    public OcrResult read(byte[] image) {
        return read(image, OcrOptions.ALL);
    }

    /** The stages and settings {@code options} names on one encoded image. */
    public OcrResult read(byte[] image, OcrOptions options) {
        return pipeline.run(image, options);
    }

    /** Several images at once, as the worker's micro-batches run them. */
    public List<OcrPipeline.Outcome> readAll(List<OcrPipeline.Request> requests) {
        return pipeline.runAll(requests);
    }
}
