package dev.asyncocr.eval;

import dev.asyncocr.ocr.OcrOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaseSetTest {

    @TempDir
    Path dir;

    private Path write(String folder, String json) throws IOException {
        Path set = Files.createDirectories(dir.resolve(folder));
        Files.writeString(set.resolve(CaseSet.CASES_FILE), json);
        return set;
    }

    @Test
    void readsEveryKey() throws IOException {
        Path set = write("all", """
                {"source": "s", "licence": "l", "notes": "ignored", "cases": [
                 {"file": "a.png", "mode": "full", "compare": "casefold", "note": "n",
                  "expect": {"boxes": 18, "min_boxes": 17, "line_count": 2, "first_line": "正品促销",
                             "first_line_prefix": "正品", "angle": 180, "lines": ["x", "y"],
                             "contains_lines": ["x"], "words": ["w"]}},
                 {"file": "b.png", "mode": "rec", "expect": {"first_line": "b"}}
                ]}""");
        CaseSet cases = CaseSet.load(set, "all");
        assertEquals("s", cases.source());
        assertEquals(2, cases.cases().size());
        EvalCase first = cases.cases().get(0);
        assertEquals(Compare.CASEFOLD, first.compare());
        assertEquals("n", first.note());
        assertEquals(new Expectations(18, 17, 2, "正品促销", "正品", 180, List.of("x", "y"), List.of("x"),
                List.of("w")), first.expect());
        EvalCase second = cases.cases().get(1);
        assertEquals(Compare.EXACT, second.compare(), "exact is the default");
        assertNull(second.expect().boxes());
        assertEquals(new OcrOptions(false, false, true), second.options());
    }

    @Test
    void modes() {
        assertEquals(new OcrOptions(true, true, true), EvalCase.parseMode("full"));
        assertEquals(new OcrOptions(true, false, true), EvalCase.parseMode("det+rec"));
        assertEquals(new OcrOptions(true, false, false), EvalCase.parseMode("det"));
        assertEquals(new OcrOptions(false, false, true), EvalCase.parseMode("rec"));
        assertEquals(new OcrOptions(false, true, false), EvalCase.parseMode("cls"));
        assertEquals(new OcrOptions(false, true, true), EvalCase.parseMode("cls+rec"));
        assertEquals(new OcrOptions(true, true, true), EvalCase.parseMode("det+cls+rec"));
        for (String bad : new String[] {"", "all", "det+", "det+det", "DET", "det rec", "+rec"}) {
            assertThrows(IllegalArgumentException.class, () -> EvalCase.parseMode(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> EvalCase.parseMode(null));
    }

    @Test
    void anUnknownExpectKeyIsAnError() throws IOException {
        Path set = write("typo", """
                {"cases": [{"file": "a.png", "mode": "full", "expect": {"first_lines": "x"}}]}""");
        CaseSetException e = assertThrows(CaseSetException.class, () -> CaseSet.load(set, "typo"));
        assertTrue(e.getMessage().contains("first_lines"), e.getMessage());
    }

    @Test
    void malformedCasesAreErrors() throws IOException {
        for (String c : List.of(
                "{\"file\": \"a.png\", \"mode\": \"ocr\", \"expect\": {\"boxes\": 1}}",
                "{\"file\": \"a.png\", \"mode\": \"full\"}",
                "{\"file\": \"a.png\", \"mode\": \"full\", \"expect\": {}}",
                "{\"file\": \"a.png\", \"mode\": \"full\", \"expect\": {\"angle\": 90}}",
                "{\"file\": \"a.png\", \"mode\": \"full\", \"expect\": {\"words\": []}}",
                "{\"file\": \"a.png\", \"mode\": \"full\", \"expect\": {\"boxes\": \"many\"}}",
                "{\"file\": \"a.png\", \"mode\": \"full\", \"compare\": \"loose\", \"expect\": {\"boxes\": 1}}",
                "{\"mode\": \"full\", \"expect\": {\"boxes\": 1}}")) {
            Path set = write("bad", "{\"cases\": [" + c + "]}");
            assertThrows(CaseSetException.class, () -> CaseSet.load(set, "bad"), c);
        }
        Path empty = write("empty", "{\"cases\": []}");
        assertThrows(CaseSetException.class, () -> CaseSet.load(empty, "empty"));
        Path broken = write("broken", "{\"cases\": [");
        assertThrows(CaseSetException.class, () -> CaseSet.load(broken, "broken"));
    }

    @Test
    void discoversASetOrTheSetsBelowAFolder() throws IOException {
        String json = "{\"cases\": [{\"file\": \"a.png\", \"mode\": \"rec\", \"expect\": {\"first_line\": \"a\"}}]}";
        Path b = write("eval/b", json);
        write("eval/a", json);
        write("eval/group/c", json);
        Files.createDirectories(dir.resolve("eval/no-cases"));

        assertEquals(List.of("a", "b", "group/c"),
                CaseSet.discover(dir.resolve("eval")).stream().map(CaseSet::name).toList());
        List<CaseSet> one = CaseSet.discover(b);
        assertEquals(List.of("b"), one.stream().map(CaseSet::name).toList());
        assertEquals(b.toAbsolutePath().normalize(), one.get(0).folder());

        assertThrows(CaseSetException.class, () -> CaseSet.discover(dir.resolve("eval/no-cases")));
        assertThrows(CaseSetException.class, () -> CaseSet.discover(dir.resolve("missing")));
    }
}
