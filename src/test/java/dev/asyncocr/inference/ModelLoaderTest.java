package dev.asyncocr.inference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLoaderTest {

    @TempDir
    Path dir;

    private void writeBundledCopies() throws Exception {
        Files.write(dir.resolve("det.onnx"), ModelLoader.verifiedResource(ModelLoader.DET));
        Files.write(dir.resolve("cls.onnx"), ModelLoader.verifiedResource(ModelLoader.CLS));
        Files.write(dir.resolve("rec.onnx"), ModelLoader.verifiedResource(ModelLoader.REC));
        Files.write(dir.resolve("dict.txt"), ModelLoader.verifiedResource(ModelLoader.DICT));
    }

    @Test
    void bundledModelsMatchTheirChecksums() {
        try (Models models = ModelLoader.load(Optional.empty(), 1)) {
            assertEquals(6623, models.dictionary().size());
            assertTrue(models.source().contains("bundled"));
        }
    }

    @Test
    void aFolderReplacesTheDefaults() throws Exception {
        writeBundledCopies();
        try (Models models = ModelLoader.load(Optional.of(dir), 1)) {
            assertTrue(models.source().contains(dir.toString()), models.source());
            Tensor out = models.cls().predict(new Tensor(new float[3 * 48 * 192], new long[] {1, 3, 48, 192}));
            assertEquals(List.of(1L, 2L), List.of(out.shape()[0], out.shape()[1]));
        }
    }

    @Test
    void aMissingModelNamesTheFileAndWhatWasExpected() throws Exception {
        writeBundledCopies();
        Files.delete(dir.resolve("rec.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelLoader.load(Optional.of(dir), 1));
        assertTrue(e.getMessage().contains(dir.resolve("rec.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("text recognition model"), e.getMessage());
    }

    @Test
    void aCorruptModelNamesTheFile() throws Exception {
        writeBundledCopies();
        Files.write(dir.resolve("det.onnx"), new byte[] {1, 2, 3, 4, 5});
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelLoader.load(Optional.of(dir), 1));
        assertTrue(e.getMessage().contains("det.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("expected an ONNX model"), e.getMessage());
    }

    @Test
    void aChecksumMismatchSaysWhatWasExpected() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.verifyChecksum("models/x.onnx", new byte[] {42}, ModelLoader.DET.sha256()));
        assertTrue(e.getMessage().contains("models/x.onnx is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains(ModelLoader.DET.sha256()), e.getMessage());
    }

    @Test
    void aMissingFolderIsExplained() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(Optional.of(dir.resolve("nope")), 1));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void dictionaryKeepsEveryLineIncludingTheLastWithoutNewline() {
        assertEquals(List.of("a", "b", " ", "c"), ModelLoader.parseDictionary("a\nb\n \nc".getBytes()));
        assertEquals(List.of("a", "b"), ModelLoader.parseDictionary("a\r\nb\n".getBytes()));
    }
}
