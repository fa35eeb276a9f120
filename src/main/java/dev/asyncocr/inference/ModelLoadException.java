package dev.asyncocr.inference;

/** A model is missing, corrupt or unreadable: start-up must stop with this message. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
