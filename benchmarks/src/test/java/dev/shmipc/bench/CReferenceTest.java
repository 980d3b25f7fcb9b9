package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Building and running the C reference programs, and skipping them cleanly where they cannot be built. */
class CReferenceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void noGccOnThePathIsANoteNotAFailure() throws Exception {
        Results results = new Results();
        assertEquals(Optional.empty(), CReference.build(temp.toString(), results, TIMEOUT).map(r -> "built"));
        assertEquals(1, results.notes().size(), results.notes()::toString);
        String note = results.notes().get(0);
        assertTrue(note.equals(CReference.SKIPPED + "no gcc on the PATH")
                || note.equals(CReference.SKIPPED + "they are built and run on Linux only"), note);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onPathFindsOnlyAProgramThatCanRun() throws Exception {
        Path plain = Files.createDirectories(temp.resolve("plain"));
        Files.writeString(plain.resolve("gcc"), "not a program");
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path gcc = executable(bin.resolve("gcc"), "#!/bin/sh\nexit 0\n");
        assertEquals(Optional.of(gcc), CReference.onPath("gcc", plain + ":" + bin));
        assertEquals(Optional.empty(), CReference.onPath("gcc", plain.toString()));
        assertEquals(Optional.empty(), CReference.onPath("gcc", null));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aCompilerErrorIsANoteWithGccsErrorLine() throws Exception {
        Path gcc = executable(temp.resolve("gcc"),
                "#!/bin/sh\necho \"reference.c: In function 'main':\"\necho 'reference.c:9:1: error: boom'\nexit 1\n");
        Path module = Files.createDirectories(temp.resolve("benchmarks"));
        Results results = new Results();
        assertTrue(CReference.compile(gcc, module, results, TIMEOUT).isEmpty());
        assertEquals(1, results.notes().size(), results.notes()::toString);
        String note = results.notes().get(0);
        assertTrue(note.startsWith(CReference.SKIPPED + "gcc could not compile ") && note.endsWith(
                ": reference.c:9:1: error: boom"), note);
        try (var left = Files.list(module.resolve("target"))) {
            assertEquals(List.of(), left.toList(), "no half-made program is left");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void everyModeRunsAndPrintsAFigureWhereGccIsPresent() throws Exception {
        assumeTrue(CReference.onPath("gcc", System.getenv("PATH")).isPresent(),
                "no gcc here: the suite skips the C rows, which noGccOnThePathIsANoteNotAFailure checks");
        Results results = new Results();
        CReference reference = CReference.build(System.getenv("PATH"), results, TIMEOUT).orElseThrow(
                () -> new AssertionError(results.notes().toString()));
        for (CReference.Mode mode : CReference.Mode.values()) {
            double figure = reference.recordsPerSecond(mode, Duration.ofMillis(20), mode == CReference.Mode.UDS ? 0 : -1);
            assertTrue(figure > 0, mode + " printed " + figure);
        }
        assertTrue(CReference.isC(CReference.Mode.SHMIPC.label()) && !CReference.isC(Transport.UDS.id()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aProgramThatFailsIsAnIOExceptionWithItsOwnMessage() throws Exception {
        assumeTrue(CReference.onPath("gcc", System.getenv("PATH")).isPresent(), "no gcc here");
        Results results = new Results();
        CReference reference = CReference.build(System.getenv("PATH"), results, TIMEOUT).orElseThrow();
        // No machine here has CPU 1023: pinning fails, and the program says so.
        String message = assertThrows(IOException.class,
                () -> reference.recordsPerSecond(CReference.Mode.SEM_BLOCK, Duration.ofMillis(20), 1023)).getMessage();
        assertEquals("C sem-block exited with code 1: [reference] error: sched_setaffinity: Invalid argument", message);
    }

    private static Path executable(Path file, String script) throws Exception {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
