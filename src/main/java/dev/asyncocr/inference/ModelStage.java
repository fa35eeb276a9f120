package dev.asyncocr.inference;

/** The three PP-OCR models, in pipeline order. */
public enum ModelStage {
    DET("text detection"),
    CLS("text direction classification"),
    REC("text recognition");

    private final String description;

    ModelStage(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The lower-case name used in file names, metrics and timings. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
