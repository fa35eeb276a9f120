package dev.asyncocr.inference;

import java.util.List;

/**
 * The loaded model triple and the recognition dictionary: created once at start-up, shared by every
 * worker, closed at shutdown.
 *
 * @param dictionary the recogniser's characters, without CTC blank and space (the decoder adds those)
 * @param source     where the models came from, for logs and health details
 */
public record Models(Predictor det, Predictor cls, Predictor rec, List<String> dictionary, String source)
        implements AutoCloseable {

    public Models {
        dictionary = List.copyOf(dictionary);
    }

    /** Where the models run: one device for all three, or each stage's own when they differ. */
    public String device() {
        Device det = this.det.placement().device();
        Device cls = this.cls.placement().device();
        Device rec = this.rec.placement().device();
        if (det == cls && cls == rec) {
            return det.name();
        }
        return "det " + det + ", cls " + cls + ", rec " + rec;
    }

    @Override
    public void close() {
        det.close();
        cls.close();
        rec.close();
    }
}
