package dev.asyncocr.format;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.OcrWord;
import dev.asyncocr.testing.BundledPipeline;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.w3c.dom.bootstrap.DOMImplementationRegistry;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text, hOCR and ALTO of real results (the models on a drawn page and on shared evaluation images): each
 * gives back the lines exactly; hOCR parses and its word boxes are the JSON's; ALTO validates against the
 * official 4.4 schema; a document's failed page is marked and the rest still rendered.
 */
class ResultFormatsTest {

    @RegisterExtension
    static final BundledPipeline PIPELINE = new BundledPipeline();

    @Test
    void aDrawnPageInEveryFormat() throws Exception {
        assertEveryFormatGivesBack(List.of(new ResultPage(1, PIPELINE.read(drawn("Searchable scans", "page one")))));
    }

    @Test
    void sharedImagesChineseAndEnglish() throws Exception {
        for (String name : List.of("ch_en_num.jpg", "return_word_debug.jpg")) {
            byte[] image = Files.readAllBytes(SharedData.require("eval/rapidocr/" + name));
            assertEveryFormatGivesBack(List.of(new ResultPage(1, PIPELINE.read(image))));
        }
    }

    @Test
    void aDocumentsFailedPageIsMarkedAndTheOthersKept() throws Exception {
        OcrResult first = PIPELINE.read(drawn("First page"));
        OcrResult third = PIPELINE.read(drawn("Third page"));
        List<ResultPage> pages = List.of(new ResultPage(1, first), new ResultPage(2, null), new ResultPage(3, third));

        assertEveryFormatGivesBack(pages);
        String[] texts = render(ResultFormat.TEXT, pages).split("\f", -1);
        assertEquals(3, texts.length);
        assertEquals("", texts[1]);
        Element failed = (Element) parse(render(ResultFormat.HOCR, pages)).getElementsByTagName("div").item(1);
        assertEquals(Node.COMMENT_NODE, failed.getFirstChild().getNodeType());
        assertTrue(failed.getFirstChild().getNodeValue().contains("page 2 failed"));
        Element missing = (Element) parse(render(ResultFormat.ALTO, pages)).getElementsByTagName("Page").item(1);
        assertEquals("Missing", missing.getAttribute("QUALITY"));
    }

    private static void assertEveryFormatGivesBack(List<ResultPage> pages) throws Exception {
        List<List<String>> lines = pages.stream().map(p -> p.failed() ? List.<String>of()
                : p.result().lines().stream().map(OcrLine::text).toList()).toList();

        assertEquals(lines.stream().map(page -> page.stream().map(l -> l + "\n").collect(Collectors.joining()))
                .collect(Collectors.joining("\f")), render(ResultFormat.TEXT, pages));
        assertHocr(pages, parse(render(ResultFormat.HOCR, pages)));
        String alto = render(ResultFormat.ALTO, pages);
        validateAlto(alto);
        assertAlto(lines, parse(alto));
    }

    /** One ocr_page per page with its size; each line's text and each word's bbox as in the JSON. */
    private static void assertHocr(List<ResultPage> pages, Document hocr) {
        List<Element> divs = elements(hocr.getElementsByTagName("div"));
        assertEquals(pages.size(), divs.size());
        for (int p = 0; p < pages.size(); p++) {
            Element div = divs.get(p);
            assertEquals("ocr_page", div.getAttribute("class"));
            if (pages.get(p).failed()) {
                continue;
            }
            OcrResult result = pages.get(p).result();
            assertTrue(div.getAttribute("title").startsWith("bbox 0 0 " + result.width() + " " + result.height()));
            List<Element> lines = elements(div.getElementsByTagName("span")).stream()
                    .filter(e -> e.getAttribute("class").equals("ocr_line")).toList();
            assertEquals(result.lines().size(), lines.size());
            for (int l = 0; l < lines.size(); l++) {
                OcrLine line = result.lines().get(l);
                assertEquals(line.text().strip(), lines.get(l).getTextContent());
                List<Element> words = elements(lines.get(l).getElementsByTagName("span"));
                assertEquals(line.words().size(), words.size());
                for (int w = 0; w < words.size(); w++) {
                    OcrWord word = line.words().get(w);
                    assertEquals("ocrx_word", words.get(w).getAttribute("class"));
                    assertEquals(word.text(), words.get(w).getTextContent());
                    Bounds b = Bounds.of(word.box());
                    assertTrue(words.get(w).getAttribute("title").startsWith("bbox " + b.left() + " " + b.top() + " "
                            + b.right() + " " + b.bottom() + "; x_wconf "), words.get(w).getAttribute("title"));
                }
            }
        }
    }

    /** The Strings and SPs of each TextLine spell the line, spaces between words as they were. */
    private static void assertAlto(List<List<String>> lines, Document alto) {
        List<Element> pages = elements(alto.getElementsByTagName("Page"));
        assertEquals(lines.size(), pages.size());
        for (int p = 0; p < pages.size(); p++) {
            List<String> read = new ArrayList<>();
            for (Element line : elements(pages.get(p).getElementsByTagName("TextLine"))) {
                StringBuilder text = new StringBuilder();
                for (Node n = line.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        text.append(e.getTagName().equals("SP") ? " " : e.getAttribute("CONTENT"));
                    }
                }
                read.add(text.toString());
            }
            assertEquals(lines.get(p).stream().map(String::strip).toList(), read);
        }
    }

    /** Offline: the schema's xlink import is answered from the copy beside it. */
    private static void validateAlto(String alto) throws Exception {
        Path folder = SharedData.require("schemas/alto");
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        DOMImplementationLS ls = (DOMImplementationLS) DOMImplementationRegistry.newInstance().getDOMImplementation("LS");
        factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
            LSInput input = ls.createLSInput();
            try {
                input.setByteStream(Files.newInputStream(folder.resolve(Path.of(systemId).getFileName().toString())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            input.setSystemId(systemId);
            return input;
        });
        Validator validator = factory.newSchema(folder.resolve("alto-4-4.xsd").toFile()).newValidator();
        validator.validate(new StreamSource(new ByteArrayInputStream(alto.getBytes(StandardCharsets.UTF_8))));
    }

    static String render(ResultFormat format, List<ResultPage> pages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(pages, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** Lines of text, one under another. */
    private static byte[] drawn(String... lines) {
        return DrawnPage.png(900, 140 + 110 * lines.length, g -> {
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], 60, 140 + 110 * i);
            }
        });
    }
}
