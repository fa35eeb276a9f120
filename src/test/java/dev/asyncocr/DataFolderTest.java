package dev.asyncocr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataFolderTest {

    @TempDir
    Path temp;

    @Test
    void isCreatedAndHeldByOneHolderAtATime() {
        Path folder = temp.resolve("nested/data");
        DataFolder first = new DataFolder(folder);
        assertTrue(Files.isDirectory(folder));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new DataFolder(folder));
        assertTrue(refused.getMessage().contains("is in use by another async-ocr process (process "
                + ProcessHandle.current().pid() + ")"), refused.getMessage());
        first.release();
        new DataFolder(folder).release();
    }

    @Test
    void aFolderThatCannotBeCreatedIsAClearFailure() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new DataFolder(file.resolve("data")));
        assertTrue(refused.getMessage().startsWith("The data folder " + file.resolve("data")
                + " (ocr.data-dir) cannot be created or written"), refused.getMessage());
    }
}
