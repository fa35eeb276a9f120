package dev.asyncocr.ocr;

import dev.asyncocr.inference.Placement;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real model that remembers the shape of every input it was given and the last output it gave. */
final class RecordingPredictor implements Predictor {

    private final Predictor model;
    final List<long[]> inputShapes = new CopyOnWriteArrayList<>();
    volatile Tensor lastOutput;

    RecordingPredictor(Predictor model) {
        this.model = model;
    }

    @Override
    public Tensor predict(Tensor input) {
        inputShapes.add(input.shape());
        Tensor output = model.predict(input);
        lastOutput = output;
        return output;
    }

    @Override
    public Placement placement() {
        return model.placement();
    }

    /** The model is the caller's to close. */
    @Override
    public void close() {
    }
}
