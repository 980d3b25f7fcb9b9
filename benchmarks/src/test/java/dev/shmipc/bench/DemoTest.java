package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path temp;

    @Test
    void aReportFolderThatCannotBeMadeFailsBeforeTheRunInOneLine() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertEquals("cannot make the report folder " + file + ": it is not a folder",
                assertThrows(Cli.Failure.class, () -> Demo.prepareOutput(file)).getMessage());
        Path under = file.resolve("below");
        String message = assertThrows(Cli.Failure.class, () -> Demo.prepareOutput(under)).getMessage();
        assertTrue(message.startsWith("cannot make the report folder " + under + ": "), message);
    }

    @Test
    void aNewReportFolderIsMade() {
        Path folder = temp.resolve("a/b");
        Demo.prepareOutput(folder);
        assertTrue(Files.isDirectory(folder));
    }
}
