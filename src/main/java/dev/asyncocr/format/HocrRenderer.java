package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrWord;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * hOCR 1.2 (XHTML, well-formed XML): one {@code ocr_page} per page with its image size, an {@code ocr_line}
 * per line and an {@code ocrx_word} per word, each with its {@code bbox} and {@code x_wconf} (0..100).
 * A failed page is an empty {@code ocr_page} holding a comment.
 */
final class HocrRenderer {

    private static final String XHTML = "http://www.w3.org/1999/xhtml";

    private HocrRenderer() {
    }

    static void write(List<ResultPage> pages, OutputStream out) throws IOException {
        XmlOutput.write(out, xml -> {
            xml.writeDTD("<!DOCTYPE html>");
            xml.writeStartElement("html");
            xml.writeDefaultNamespace(XHTML);
            xml.writeStartElement("head");
            element(xml, "title", "OCR result");
            meta(xml, "ocr-system", "async-ocr");
            meta(xml, "ocr-capabilities", "ocr_page ocr_line ocrx_word");
            xml.writeEndElement();
            xml.writeStartElement("body");
            for (ResultPage page : pages) {
                page(xml, page);
            }
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    private static void page(XMLStreamWriter xml, ResultPage page) throws XMLStreamException {
        int n = page.number();
        xml.writeStartElement("div");
        xml.writeAttribute("class", "ocr_page");
        xml.writeAttribute("id", "page_" + n);
        if (page.failed()) {
            xml.writeAttribute("title", "ppageno " + (n - 1));
            xml.writeComment(" page " + n + " failed: no text was read ");
            xml.writeEndElement();
            return;
        }
        xml.writeAttribute("title", "bbox 0 0 " + page.result().width() + " " + page.result().height()
                + "; ppageno " + (n - 1));
        List<OcrLine> lines = page.result().lines();
        for (int l = 0; l < lines.size(); l++) {
            OcrLine line = lines.get(l);
            String id = n + "_" + (l + 1);
            xml.writeStartElement("span");
            xml.writeAttribute("class", "ocr_line");
            xml.writeAttribute("id", "line_" + id);
            xml.writeAttribute("title", title(line.box(), line.confidence()));
            List<String> separators = LineText.separators(line);
            for (int w = 0; w < line.words().size(); w++) {
                OcrWord word = line.words().get(w);
                xml.writeCharacters(separators.get(w));
                xml.writeStartElement("span");
                xml.writeAttribute("class", "ocrx_word");
                xml.writeAttribute("id", "word_" + id + "_" + (w + 1));
                xml.writeAttribute("title", title(word.box(), word.confidence()));
                xml.writeCharacters(word.text());
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static String title(int[][] box, double confidence) {
        Bounds b = Bounds.of(box);
        return "bbox " + b.left() + " " + b.top() + " " + b.right() + " " + b.bottom()
                + "; x_wconf " + Math.round(confidence * 100);
    }

    private static void meta(XMLStreamWriter xml, String name, String content) throws XMLStreamException {
        xml.writeEmptyElement("meta");
        xml.writeAttribute("name", name);
        xml.writeAttribute("content", content);
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }
}
