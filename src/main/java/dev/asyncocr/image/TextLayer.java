package dev.asyncocr.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a PDF page's text comes from: the request's {@code text_layer}. */
public enum TextLayer {

    /** A page that carries a real text layer (a born-digital page) is read from it; any other page is recognised. */
    AUTO,
    /** Every page is recognised, whatever text it carries. */
    OCR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode of that name, case-insensitive. */
    public static Optional<TextLayer> named(String name) {
        return Arrays.stream(values()).filter(mode -> mode.wireName().equalsIgnoreCase(name)).findFirst();
    }
}
