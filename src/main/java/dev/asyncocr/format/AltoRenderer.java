package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrWord;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * ALTO 4.4 (the Library of Congress schema), in pixels: per page a {@code Page} and its {@code PrintSpace}
 * holding one {@code TextBlock} of {@code TextLine}s, each a run of {@code String}s (one per word, with its
 * confidence as {@code WC}) and {@code SP}s. A line without words (recognition did not run) is left out,
 * since ALTO wants a String in every line. A failed page carries {@code QUALITY="Missing"} and no PrintSpace.
 */
final class AltoRenderer {

    static final String NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private AltoRenderer() {
    }

    static void write(List<ResultPage> pages, OutputStream out) throws IOException {
        XmlOutput.write(out, xml -> {
            xml.setDefaultNamespace(NAMESPACE);
            xml.writeStartElement(NAMESPACE, "alto");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeNamespace("xsi", XSI);
            xml.writeAttribute(XSI, "schemaLocation", NAMESPACE + " http://www.loc.gov/alto/v4/alto-4-4.xsd");
            xml.writeStartElement(NAMESPACE, "Description");
            element(xml, "MeasurementUnit", "pixel");
            xml.writeStartElement(NAMESPACE, "OCRProcessing");
            xml.writeAttribute("ID", "ocr");
            xml.writeStartElement(NAMESPACE, "ocrProcessingStep");
            xml.writeStartElement(NAMESPACE, "processingSoftware");
            element(xml, "softwareName", "async-ocr");
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeStartElement(NAMESPACE, "Layout");
            for (ResultPage page : pages) {
                page(xml, page);
            }
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    private static void page(XMLStreamWriter xml, ResultPage page) throws XMLStreamException {
        String id = "p" + page.number();
        if (page.failed()) {
            xml.writeEmptyElement(NAMESPACE, "Page");
            xml.writeAttribute("ID", id);
            xml.writeAttribute("PHYSICAL_IMG_NR", String.valueOf(page.number()));
            xml.writeAttribute("QUALITY", "Missing");
            xml.writeAttribute("QUALITY_DETAIL", "recognition failed");
            return;
        }
        Bounds whole = new Bounds(0, 0, page.result().width(), page.result().height());
        xml.writeStartElement(NAMESPACE, "Page");
        xml.writeAttribute("ID", id);
        xml.writeAttribute("PHYSICAL_IMG_NR", String.valueOf(page.number()));
        xml.writeAttribute("WIDTH", String.valueOf(whole.width()));
        xml.writeAttribute("HEIGHT", String.valueOf(whole.height()));
        xml.writeStartElement(NAMESPACE, "PrintSpace");
        position(xml, whole);
        xml.writeStartElement(NAMESPACE, "TextBlock");
        xml.writeAttribute("ID", id + "_b1");
        position(xml, whole);
        List<OcrLine> lines = page.result().lines();
        for (int l = 0; l < lines.size(); l++) {
            OcrLine line = lines.get(l);
            if (line.words().isEmpty()) {
                continue;
            }
            String lineId = id + "_l" + (l + 1);
            xml.writeStartElement(NAMESPACE, "TextLine");
            xml.writeAttribute("ID", lineId);
            position(xml, Bounds.of(line.box()));
            List<String> separators = LineText.separators(line);
            for (int w = 0; w < line.words().size(); w++) {
                OcrWord word = line.words().get(w);
                if (!separators.get(w).isEmpty()) {
                    xml.writeEmptyElement(NAMESPACE, "SP");
                }
                xml.writeEmptyElement(NAMESPACE, "String");
                xml.writeAttribute("ID", lineId + "_w" + (w + 1));
                position(xml, Bounds.of(word.box()));
                xml.writeAttribute("CONTENT", word.text());
                xml.writeAttribute("WC", String.format(Locale.ROOT, "%.3f", word.confidence()));
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static void position(XMLStreamWriter xml, Bounds b) throws XMLStreamException {
        xml.writeAttribute("HPOS", String.valueOf(b.left()));
        xml.writeAttribute("VPOS", String.valueOf(b.top()));
        xml.writeAttribute("WIDTH", String.valueOf(b.width()));
        xml.writeAttribute("HEIGHT", String.valueOf(b.height()));
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(NAMESPACE, name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }
}
