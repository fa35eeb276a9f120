package dev.asyncocr.ocr;

import dev.asyncocr.inference.Models;

/** STUB: replaced by the full pipeline. */
public final class OcrPipeline {
    public OcrPipeline(Models models, ImageDecoder decoder) {
    }

    public OcrResult run(byte[] encodedImage, OcrOptions options) {
        throw new UnsupportedOperationException("pipeline under construction");
    }
}
