package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.JvmProcess;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The writer and the reader as separate JVMs: what crosses, how they fail, what they leave. */
class WriterReaderIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    /** What the writer says last: POSIX removes the name, Windows lets the last handle take it. */
    private static String removedLine(String name) {
        return OsFamily.current() == OsFamily.WINDOWS
                ? "[writer] closing " + name + ": Windows removes a mapping with its last handle"
                : "[writer] removed " + name;
    }

    private static JvmProcess writerHolding(String... args) throws Exception {
        JvmProcess writer = JvmProcess.start(Writer.class, args);
        writer.awaitLine(line -> line.startsWith("[writer] holding"), TIMEOUT);
        return writer;
    }

    private static List<String> runToEnd(JvmProcess process, int expectedExit) throws Exception {
        assertEquals(expectedExit, process.waitFor(TIMEOUT), () -> process + " stdout " + process.stdout()
                + " stderr " + process.stderr());
        return process.stdout();
    }

    @Test
    void theLastFrameCrossesExactly() throws Exception {
        String name = objects.name("frames");
        try (JvmProcess writer = writerHolding("frames", "--name", name, "--rounds", "3", "--interval-ms", "0")) {
            assertEquals(List.of(
                    "[writer] created " + name + " (100 bytes, zero-filled)",
                    "[writer] round 0 wrote: " + Contract.hex(Contract.frame(0, 100)),
                    "[writer] round 1 wrote: " + Contract.hex(Contract.frame(1, 100)),
                    "[writer] round 2 wrote: " + Contract.hex(Contract.frame(2, 100)),
                    "[writer] wrote 3 rounds",
                    "[writer] holding " + name + ": press Enter to remove it and exit (or wait 600 s)"),
                    writer.stdout());

            try (JvmProcess reader = JvmProcess.start(Reader.class, "frames", "--name", name, "--rounds", "2",
                    "--interval-ms", "10")) {
                String read = "[reader] read: " + Contract.hex(Contract.frame(2, 100)) + " (round 2)";
                List<String> out = runToEnd(reader, 0);
                // Linux reports the object's exact size; macOS and Windows whole pages.
                String opened = "\\[reader] opened " + Pattern.quote(name) + " \\(" + (OsFamily.current() == OsFamily.LINUX
                        ? "100" : "\\d+") + " bytes\\), reading 100";
                assertTrue(out.get(0).matches(opened), out.get(0));
                assertEquals(List.of(read, read), out.subList(1, 3));
                assertEquals(List.of(), reader.stderr());
            }
            writer.writeLine("");
            assertEquals(removedLine(name), runToEnd(writer, 0).get(6));
        }
    }

    @Test
    void theReaderSeesZerosBeforeTheFirstWrite() throws Exception {
        // The article's point: shared memory hands over "nothing written yet" without waiting.
        String name = objects.name("zeros");
        try (SharedMemory area = SharedMemory.create(name, 100)) {
            try (JvmProcess reader = JvmProcess.start(Reader.class, "frames", "--name", name, "--rounds", "1")) {
                assertEquals("[reader] read: " + Contract.hex(new byte[100]) + " (nothing written yet)",
                        runToEnd(reader, 0).get(1));
            }
        } finally {
            SharedMemory.unlink(name);
        }
    }

    @Test
    void theMessageCrossesExactly() throws Exception {
        String name = objects.name("message");
        try (JvmProcess writer = writerHolding("message", "--name", name)) {
            assertEquals("[writer] wrote \"welcome to IPC introduction from www.cpp-blog.com\""
                    + " (49 UTF-16 code units, 98 bytes)", writer.stdout().get(1));
            try (JvmProcess reader = JvmProcess.start(Reader.class, "message", "--name", name)) {
                assertEquals(List.of("[reader] Server told us : welcome to IPC introduction from www.cpp-blog.com"),
                        runToEnd(reader, 0));
            }
            try (SharedMemory raw = SharedMemory.open(name, 2048)) {
                byte[] bytes = new byte[100];
                raw.buffer().get(0, bytes);
                assertEquals("welcome to IPC introduction from www.cpp-blog.com\0",
                        new String(bytes, Contract.WCHAR), "UTF-16LE units, then the zero fill");
            }
            writer.closeInput(); // end of input ends the hold too
            runToEnd(writer, 0);
        }
    }

    @Test
    void watchingARewrittenFrameCountsEveryFrameItRead() throws Exception {
        String name = objects.name("watch");
        try (JvmProcess writer = JvmProcess.start(Writer.class, "frames", "--name", name,
                "--rounds", "30000000", "--interval-ms", "0", "--quiet")) {
            writer.awaitLine(line -> line.startsWith("[writer] created"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, "watch", "--name", name, "--seconds", "1")) {
                List<String> out = runToEnd(reader, 0);
                Matcher counts = Pattern.compile(
                        "\\[reader] frames read: (\\d+), whole: (\\d+), torn: (\\d+), nothing written yet: (\\d+)")
                        .matcher(out.get(1));
                assertTrue(counts.matches(), out::toString);
                long total = Long.parseLong(counts.group(1));
                long whole = Long.parseLong(counts.group(2));
                long torn = Long.parseLong(counts.group(3));
                long empty = Long.parseLong(counts.group(4));
                assertEquals(total, whole + torn + empty);
                assertTrue(whole > 0, "the writer's frames reached the reader");
                // Whether any read tears depends on the machine; when one does, it is shown.
                assertEquals(torn > 0, out.size() == 3 && out.get(2).contains("TORN: mixes rounds"), out::toString);
            }
            writer.terminate();
            assertNotEquals(0, writer.waitFor(TIMEOUT));
        }
    }

    @Test
    void theWriterStopsByItselfAfterTheHoldTime() throws Exception {
        String name = objects.name("hold");
        try (JvmProcess writer = JvmProcess.start(Writer.class, "message", "--name", name, "--hold-seconds", "1")) {
            List<String> out = runToEnd(writer, 0);
            assertEquals(List.of("[writer] held 1 s", removedLine(name)), out.subList(3, 5));
        }
    }

    @Test
    void aReaderWithoutAWriterSaysToStartTheWriter() throws Exception {
        String name = objects.name("nowriter");
        for (String mode : List.of("frames", "message", "watch")) {
            try (JvmProcess reader = JvmProcess.start(Reader.class, mode, "--name", name)) {
                runToEnd(reader, 1);
                assertEquals(List.of("[reader] error: no shared memory named " + name + "; start the writer first"),
                        reader.stderr());
            }
        }
    }

    @Test
    void aSecondWriterFindsTheNameInUse() throws Exception {
        String name = objects.name("inuse");
        try (JvmProcess first = writerHolding("message", "--name", name);
             JvmProcess second = JvmProcess.start(Writer.class, "frames", "--name", name)) {
            runToEnd(second, 1);
            assertEquals(List.of("[writer] error: shared memory '" + name + "' already exists: another writer is"
                    + " running, or a killed one left it behind; stop that writer, or remove it with:"
                    + " Writer remove --name " + name), second.stderr());
            // The failed writer must not have removed the first writer's object.
            try (JvmProcess reader = JvmProcess.start(Reader.class, "message", "--name", name)) {
                assertTrue(runToEnd(reader, 0).get(0).endsWith("www.cpp-blog.com"));
            }
            first.writeLine("");
            runToEnd(first, 0);
        }
    }

    @Test
    void aReaderAskingForMoreThanTheObjectHoldsIsRefused() throws Exception {
        String name = objects.name("small");
        try (JvmProcess writer = writerHolding("message", "--name", name)) {
            // 1 MiB: more than the object holds even where the OS rounds it up to whole pages.
            try (JvmProcess reader = JvmProcess.start(Reader.class, "message", "--name", name, "--size", "1048576")) {
                runToEnd(reader, 1);
                assertEquals(1, reader.stderr().size());
                assertTrue(reader.stderr().get(0).matches("\\[reader] error: shared memory " + Pattern.quote(name)
                        + " is too small: the object is \\d+ bytes, smaller than the 1048576 bytes needed"),
                        reader.stderr().get(0));
            }
            writer.writeLine("");
            runToEnd(writer, 0);
        }
    }

    @Test
    void badArgumentsGetOneLineAndExitCode2() throws Exception {
        String name = objects.name("badargs");
        String[][] cases = {
            {"Writer", "error: a mode is required (frames, message or remove)"},
            {"Writer", "error: unknown mode 'pictures' (expected frames, message or remove)", "pictures"},
            {"Writer", "error: --size must be between 1 and 4096, not 0", "frames", "--name", name, "--size", "0"},
            {"Writer", "error: --size must be between 2 and 1073741824, not 1073741825",
                "message", "--name", name, "--size", "1073741825"},
            {"Writer", "error: --size must be a whole number, not 'big'", "frames", "--name", name, "--size", "big"},
            {"Writer", "error: unexpected argument 'extra'", "frames", "extra"},
            {"Writer", "error: unknown option '--colour'", "frames", "--colour", "red"},
            {"Writer", "error: the text needs 8 bytes with its terminator; the mapping has 6",
                "message", "--name", name, "--size", "6", "--text", "abc"},
            {"Writer", "error: invalid name 'bad/name': use letters, digits, '.', '_' and '-', starting with a"
                + " letter, digit or '_'", "frames", "--name", "bad/name"},
            {"Reader", "error: unknown mode 'listen' (expected frames, message or watch)", "listen"},
            {"Reader", "error: --rounds must be between 1 and 2147483647, not -1", "frames", "--rounds", "-1"},
        };
        for (String[] c : cases) {
            Class<?> main = c[0].equals("Writer") ? Writer.class : Reader.class;
            String role = c[0].equals("Writer") ? "[writer] " : "[reader] ";
            String usage = c[0].equals("Writer") ? Writer.USAGE : Reader.USAGE;
            String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
            try (JvmProcess process = JvmProcess.start(main, args)) {
                runToEnd(process, 2);
                assertEquals(List.of(role + c[1] + " (usage: " + usage + ")"), process.stderr(), String.join(" ", args));
                assertEquals(List.of(), process.stdout());
            }
        }
    }

    @Test
    void terminatingTheWriterRemovesTheName() throws Exception {
        String name = objects.name("term");
        try (JvmProcess writer = writerHolding("frames", "--name", name, "--rounds", "1")) {
            writer.terminate();
            assertNotEquals(0, writer.waitFor(TIMEOUT));
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnTheWriterRemovesTheName() throws Exception {
        String name = objects.name("ctrlc");
        try (JvmProcess writer = writerHolding("message", "--name", name)) {
            writer.interrupt();
            assertEquals(130, writer.waitFor(TIMEOUT));
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aKilledWritersObjectCanBeRemovedWithWriterRemove() throws Exception {
        String name = objects.name("killed");
        try (JvmProcess writer = writerHolding("frames", "--name", name, "--rounds", "1")) {
            writer.kill(); // SIGKILL: no hook runs, the POSIX name stays
        }
        try (JvmProcess next = JvmProcess.start(Writer.class, "frames", "--name", name)) {
            runToEnd(next, 1);
            assertTrue(next.stderr().get(0).contains("already exists"), next.stderr().toString());
        }
        try (JvmProcess remove = JvmProcess.start(Writer.class, "remove", "--name", name)) {
            assertEquals(List.of("[writer] removed " + name), runToEnd(remove, 0));
        }
        try (JvmProcess again = JvmProcess.start(Writer.class, "remove", "--name", name)) {
            assertEquals(List.of("[writer] no shared memory named " + name), runToEnd(again, 0));
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void onWindowsAKilledWritersMappingIsGone() throws Exception {
        String name = objects.name("killedwin");
        try (JvmProcess writer = writerHolding("frames", "--name", name, "--rounds", "1")) {
            writer.kill();
        }
        try (JvmProcess reader = JvmProcess.start(Reader.class, "frames", "--name", name)) {
            runToEnd(reader, 1);
        }
    }
}
