package dev.asyncocr.format;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The streaming XML writer the hOCR and ALTO renderers share: UTF-8, written as it goes. */
final class XmlOutput {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private XmlOutput() {
    }

    @FunctionalInterface
    interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    /** Writes one XML document to {@code out} (left open). */
    static void write(OutputStream out, Body body) throws IOException {
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            body.write(xml);
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }
}
