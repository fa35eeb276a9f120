package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Plain text: each page's lines in reading order, one per line, pages separated by a form feed. */
final class TextRenderer {

    private TextRenderer() {
    }

    static void write(List<ResultPage> pages, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        boolean first = true;
        for (ResultPage page : pages) {
            if (!first) {
                writer.write('\f');
            }
            first = false;
            if (!page.failed()) {
                for (OcrLine line : page.result().lines()) {
                    if (line.text() != null) {
                        writer.write(line.text());
                        writer.write('\n');
                    }
                }
            }
        }
        writer.flush();
    }
}
