package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.Signals;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

    /** The lines from {@code first} to the end, wherever {@code first} is; fails if it is missing. */
    private static List<String> from(List<String> lines, String first) {
        int at = lines.indexOf(first);
        assertTrue(at >= 0, () -> "no line '" + first + "' in " + lines);
        return lines.subList(at, lines.size());
    }

    /** The one line starting with {@code prefix}; fails if there is none, or more than one. */
    private static String lineStarting(List<String> lines, String prefix) {
        List<String> found = lines.stream().filter(line -> line.startsWith(prefix)).collect(Collectors.toList());
        assertEquals(1, found.size(), () -> "lines starting '" + prefix + "' in " + lines);
        return found.get(0);
    }

    /** The one line a program printed: every failure is one line. */
    private static String onlyLine(List<String> lines) {
        assertEquals(1, lines.size(), lines::toString);
        return lines.get(0);
    }

    /** {@code lines} with the count in {@code wrote N rounds} replaced by N, after checking it is at least 1. */
    private static List<String> anyRoundCount(List<String> lines) {
        return lines.stream().map(line -> line.replaceFirst("^\\[writer] wrote [1-9]\\d* rounds$", "[writer] wrote N rounds"))
                .collect(Collectors.toList());
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
                assertTrue(lineStarting(out, "[reader] opened ").matches(opened), out::toString);
                assertEquals(List.of(read, read), out.stream().filter(line -> line.startsWith("[reader] read: "))
                        .collect(Collectors.toList()));
                assertEquals(List.of(), reader.stderr());
            }
            writer.writeLine("");
            assertEquals(List.of("[writer] Enter pressed", removedLine(name)), from(runToEnd(writer, 0), "[writer] Enter pressed"));
        }
    }

    @Test
    void theReaderSeesZerosBeforeTheFirstWrite() throws Exception {
        // The article's point: shared memory hands over "nothing written yet" without waiting.
        String name = objects.name("zeros");
        try (SharedMemory area = SharedMemory.create(name, 100)) {
            try (JvmProcess reader = JvmProcess.start(Reader.class, "frames", "--name", name, "--rounds", "1")) {
                assertEquals("[reader] read: " + Contract.hex(new byte[100]) + " (nothing written yet)",
                        lineStarting(runToEnd(reader, 0), "[reader] read: "));
            }
            area.unlink(); // the test's own object, removed once the test has passed
        }
    }

    @Test
    void theMessageCrossesExactly() throws Exception {
        String name = objects.name("message");
        try (JvmProcess writer = writerHolding("message", "--name", name)) {
            assertEquals("[writer] wrote \"welcome to IPC introduction from www.cpp-blog.com\""
                    + " (49 UTF-16 code units, 98 bytes)", lineStarting(writer.stdout(), "[writer] wrote "));
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
            writer.closeInput(); // end of input ends the hold too, and the writer says so
            assertEquals(List.of("[writer] end of input", removedLine(name)), from(runToEnd(writer, 0), "[writer] end of input"));
        }
    }

    @Test
    void watchingARewrittenFrameCountsEveryFrameItRead() throws Exception {
        String name = objects.name("watch");
        try (JvmProcess writer = JvmProcess.start(Writer.class, "frames", "--name", name,
                "--nonstop", "--interval-ms", "0", "--quiet")) {
            writer.awaitLine(line -> line.startsWith("[writer] writing round after round"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, "watch", "--name", name, "--seconds", "1")) {
                List<String> out = runToEnd(reader, 0);
                Matcher counts = Pattern.compile(
                        "\\[reader] frames read: (\\d+), whole: (\\d+), torn: (\\d+), nothing written yet: (\\d+)")
                        .matcher(lineStarting(out, "[reader] frames read: "));
                assertTrue(counts.matches(), out::toString);
                long total = Long.parseLong(counts.group(1));
                long whole = Long.parseLong(counts.group(2));
                long torn = Long.parseLong(counts.group(3));
                long empty = Long.parseLong(counts.group(4));
                assertEquals(total, whole + torn + empty);
                assertTrue(whole > 0, "the writer's frames reached the reader");
                // Whether any read tears depends on the machine; when one does, it is shown.
                assertEquals(torn > 0, out.stream().anyMatch(line -> line.startsWith("[reader] first torn frame: ")
                        && line.contains("TORN: mixes rounds")), out::toString);
            }
            // --nonstop: the writer was still writing when the reader finished, and stops on Enter.
            assertTrue(writer.isAlive(), "the writer runs until it is stopped");
            writer.writeLine("");
            assertEquals(List.of(
                    "[writer] created " + name + " (100 bytes, zero-filled)",
                    "[writer] writing round after round: press Enter to stop, remove it and exit (or wait 600 s)",
                    "[writer] Enter pressed",
                    "[writer] wrote N rounds",
                    removedLine(name)), anyRoundCount(runToEnd(writer, 0)));
        }
    }

    @Test
    void aNonstopWriterStopsAtTheEndOfInputOrOfItsHold() throws Exception {
        String name = objects.name("nonstop");
        try (JvmProcess writer = JvmProcess.start(Writer.class, "frames", "--name", name, "--nonstop",
                "--interval-ms", "5", "--quiet")) {
            writer.awaitLine(line -> line.startsWith("[writer] writing round after round"), TIMEOUT);
            writer.closeInput();
            assertEquals(List.of("[writer] end of input", "[writer] wrote N rounds", removedLine(name)),
                    anyRoundCount(from(runToEnd(writer, 0), "[writer] end of input")));
        }
        try (JvmProcess writer = JvmProcess.start(Writer.class, "frames", "--name", name, "--nonstop",
                "--interval-ms", "100", "--hold", "1")) {
            List<String> out = runToEnd(writer, 0);
            assertEquals("[writer] round 0 wrote: " + Contract.hex(Contract.frame(0, 100)),
                    lineStarting(out, "[writer] round 0 wrote: "));
            assertEquals(List.of("[writer] wrote for 1 s, time is up", "[writer] wrote N rounds", removedLine(name)),
                    anyRoundCount(from(out, "[writer] wrote for 1 s, time is up")));
        }
    }

    @Test
    void theWriterStopsByItselfAfterTheHoldTime() throws Exception {
        String name = objects.name("hold");
        try (JvmProcess writer = JvmProcess.start(Writer.class, "message", "--name", name, "--hold", "1")) {
            assertEquals(List.of(
                    "[writer] created " + name + " (2048 bytes)",
                    "[writer] wrote \"welcome to IPC introduction from www.cpp-blog.com\" (49 UTF-16 code units, 98 bytes)",
                    "[writer] holding " + name + ": press Enter to remove it and exit (or wait 1 s)",
                    "[writer] held 1 s, time is up",
                    removedLine(name)), runToEnd(writer, 0));
        }
    }

    @Test
    void aReaderWithoutAWriterSaysWhichWriterToStart() throws Exception {
        String name = objects.name("nowriter");
        String[][] cases = {
            {"frames", "frames"},
            {"message", "message"},
            {"watch", "frames --nonstop --interval-ms 0 --quiet"},
        };
        for (String[] c : cases) {
            try (JvmProcess reader = JvmProcess.start(Reader.class, c[0], "--name", name)) {
                runToEnd(reader, 1);
                assertEquals(List.of("[reader] error: no shared memory named " + name + "; start the writer first:"
                        + " Writer " + c[1] + " --name " + name), reader.stderr());
            }
        }
    }

    @Test
    void aSecondWriterFindsTheNameInUse() throws Exception {
        String name = objects.name("inuse");
        // One after the other: a writer that is looking at the object maps it too, and the
        // other would then rightly name it as a second process that maps it.
        try (JvmProcess first = writerHolding("message", "--name", name);
             JvmProcess second = JvmProcess.start(Writer.class, "message", "--name", name)) {
            runToEnd(second, 1);
            String found = OsFamily.current() == OsFamily.LINUX
                    ? ": 01's message mapping, 2048 bytes, text \"welcome to IPC introduction from www....\","
                            + " mapped by process " + first.toHandle().pid() + "; stop that process, or choose another --name"
                    : OsFamily.current() == OsFamily.MACOS
                            ? ": 01's message mapping, 2048 bytes, text \"welcome to IPC introduction from www....\";"
                                    + " another writer is running, or a killed one left it; if none is running,"
                                    + " remove it with: Writer message --remove-stale --name " + name
                            : ": a running process holds it (Windows removes a mapping with its last handle);"
                                    + " stop that process, or choose another --name";
            assertEquals(List.of("[writer] error: shared memory '" + name + "' already exists" + found),
                    second.stderr());
            // A frames writer does not take a message mapping for a frames area it could remove.
            try (JvmProcess third = JvmProcess.start(Writer.class, "frames", "--name", name)) {
                runToEnd(third, 1);
                if (OsFamily.current() == OsFamily.LINUX) {
                    assertEquals(List.of("[writer] error: shared memory '" + name + "' already exists and is not"
                            + " this writer's to remove: it is 2048 bytes, not the 100 of 01's frames area; choose"
                            + " another --name"), third.stderr());
                } else if (OsFamily.current() == OsFamily.MACOS) {
                    // Whole pages: the size does not tell, the bytes do.
                    assertTrue(onlyLine(third.stderr()).contains("its bytes are not a frame"), third.stderr()::toString);
                }
            }
            // The failed writer must not have removed the first writer's object.
            try (JvmProcess reader = JvmProcess.start(Reader.class, "message", "--name", name)) {
                assertEquals(List.of("[reader] Server told us : " + Contract.MESSAGE), runToEnd(reader, 0));
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
                assertTrue(onlyLine(reader.stderr()).matches("\\[reader] error: shared memory " + Pattern.quote(name)
                        + " is too small: the object is \\d+ bytes, smaller than the 1048576 bytes needed"),
                        reader.stderr()::toString);
            }
            writer.writeLine("");
            runToEnd(writer, 0);
        }
    }

    @Test
    void badArgumentsGetOneLineAndExitCode2() throws Exception {
        String name = objects.name("badargs");
        String[][] cases = {
            {"Writer", "error: a mode is required (frames or message)"},
            {"Writer", "error: unknown mode 'pictures' (expected frames or message)", "pictures"},
            {"Writer", "error: unknown mode 'remove' (expected frames or message)", "remove"},
            {"Writer", "error: unknown option '--hold-seconds'", "message", "--hold-seconds", "5"},
            {"Writer", "error: --hold must be between 0 and 86400, not -1", "message", "--name", name, "--hold", "-1"},
            {"Writer", "error: --rounds and --nonstop do not go together", "frames", "--name", name, "--nonstop",
                "--rounds", "3"},
            {"Writer", "error: --rounds does not go with --remove-stale", "frames", "--remove-stale", "--rounds", "3"},
            {"Writer", "error: --nonstop does not go with --remove-stale", "frames", "--remove-stale", "--nonstop"},
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
            String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
            try (JvmProcess process = JvmProcess.start(main, args)) {
                runToEnd(process, 2);
                assertEquals(List.of(role + c[1] + " (run with --help for usage)"), process.stderr(),
                        String.join(" ", args));
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
            Signals.interrupt(writer);
            assertEquals(130, writer.waitFor(TIMEOUT));
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    void helpAndItsShortFormPrintTheUsageAndExit0() throws Exception {
        Object[][] cases = {
            {Writer.class, Writer.USAGE, new String[] {"--help"}},
            {Writer.class, Writer.USAGE, new String[] {"frames", "--name", "bad/name", "-h"}},
            {Reader.class, Reader.USAGE, new String[] {"-h"}},
            {Reader.class, Reader.USAGE, new String[] {"watch", "--help", "--seconds", "x"}},
            {Demo.class, "Demo", new String[] {"--help"}},
        };
        for (Object[] c : cases) {
            try (JvmProcess process = JvmProcess.start((Class<?>) c[0], (String[]) c[2])) {
                assertEquals(("usage: " + c[1]).lines().collect(Collectors.toList()),
                        runToEnd(process, 0));
                assertEquals(List.of(), process.stderr());
            }
        }
        assertTrue(Writer.USAGE.contains("--hold SECONDS") && Writer.USAGE.contains("--remove-stale"), Writer.USAGE);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleRemovesWhatAKilledFramesWriterLeft() throws Exception {
        String name = objects.name("killed");
        try (JvmProcess writer = writerHolding("frames", "--name", name, "--rounds", "3", "--interval-ms", "0")) {
            writer.kill(); // SIGKILL: no hook runs, the POSIX name stays
        }
        try (JvmProcess next = JvmProcess.start(Writer.class, "frames", "--name", name)) {
            runToEnd(next, 1);
            String found = "01's frames area, 100 bytes, round 2";
            assertEquals(List.of("[writer] error: shared memory '" + name + "' already exists: " + found
                    + (OsFamily.current() == OsFamily.LINUX
                            ? ", mapped by no process, as a killed writer leaves it; remove it with: "
                            : "; another writer is running, or a killed one left it; if none is running, remove it"
                                    + " with: ")
                    + "Writer frames --remove-stale --name " + name), next.stderr());
        }
        try (JvmProcess remove = JvmProcess.start(Writer.class, "frames", "--remove-stale", "--name", name)) {
            assertEquals(List.of("[writer] removed " + name + ": 01's frames area, 100 bytes, round 2"
                    + (OsFamily.current() == OsFamily.LINUX ? ", mapped by no process" : "")), runToEnd(remove, 0));
        }
        try (JvmProcess again = JvmProcess.start(Writer.class, "frames", "--remove-stale", "--name", name)) {
            assertEquals(List.of("[writer] nothing there: no shared memory named " + name), runToEnd(again, 0));
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleRemovesWhatAKilledMessageWriterLeft() throws Exception {
        String name = objects.name("killedmsg");
        try (JvmProcess writer = writerHolding("message", "--name", name, "--size", "600", "--text", "hi")) {
            writer.kill();
        }
        // The size it was made with is part of what makes it this module's.
        try (JvmProcess wrongSize = JvmProcess.start(Writer.class, "message", "--remove-stale", "--name", name)) {
            runToEnd(wrongSize, 1);
        }
        try (JvmProcess remove = JvmProcess.start(Writer.class, "message", "--remove-stale", "--name", name,
                "--size", "600")) {
            assertEquals(List.of("[writer] removed " + name + ": 01's message mapping, 600 bytes, text \"hi\""
                    + (OsFamily.current() == OsFamily.LINUX ? ", mapped by no process" : "")), runToEnd(remove, 0));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void removeStaleLeavesALiveWritersObject() throws Exception {
        String name = objects.name("live");
        try (JvmProcess writer = writerHolding("message", "--name", name)) {
            try (JvmProcess remove = JvmProcess.start(Writer.class, "message", "--remove-stale", "--name", name)) {
                assertEquals(List.of("[writer] in use, left it: " + name + " is 01's message mapping, 2048 bytes,"
                        + " text \"welcome to IPC introduction from www....\", mapped by process " + writer.toHandle().pid()),
                        runToEnd(remove, 1));
            }
            writer.writeLine("");
            assertEquals(List.of("[writer] Enter pressed", removedLine(name)), from(runToEnd(writer, 0), "[writer] Enter pressed"));
        }
    }

    /**
     * Module 04 keeps a mapping under the article's name {@code www.cpp-blog.com}: a 592-byte
     * WIN32_FIND_DATAW record, then a run token. One like it: neither its size nor its bytes are 01's.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleNeverRemovesModule04sMapping() throws Exception {
        String name = objects.name("www.cpp-blog.com");
        try (SharedMemory mapping = SharedMemory.create(name, 600)) {
            mapping.buffer().putInt(0, 0x20); // FILE_ATTRIBUTE_ARCHIVE
            mapping.buffer().putLong(592, 0x5eed_1234_abcdL); // the run token
        }
        try (JvmProcess remove = JvmProcess.start(Writer.class, "message", "--remove-stale", "--name", name)) {
            assertTrue(onlyLine(runToEnd(remove, 1)).startsWith("[writer] not this module's, left it: " + name + ": "),
                    remove.stdout()::toString);
        }
        // Told the 600 bytes, it still looks at the bytes: a record, not a text followed by zeros.
        try (JvmProcess remove = JvmProcess.start(Writer.class, "message", "--remove-stale", "--name", name,
                "--size", "600")) {
            assertEquals(List.of("[writer] not this module's, left it: " + name + ": it is not a UTF-16 text"
                    + " followed only by zeros: byte 592 after the text's end (byte 2) is not 0, so it is not 01's"
                    + " message mapping"), runToEnd(remove, 1));
        }
        try (SharedMemory stillThere = SharedMemory.open(name, 600)) {
            assertEquals(0x5eed_1234_abcdL, stillThere.buffer().getLong(592));
            stillThere.unlink(); // the test's own object, removed once the test has passed
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDirectoryUnderTheNameIsNeitherCalledSharedMemoryNorRemoved() throws Exception {
        String name = objects.name("dir");
        java.nio.file.Path dir = java.nio.file.Files.createDirectory(java.nio.file.Path.of("/dev/shm", name));
        try {
            try (JvmProcess writer = JvmProcess.start(Writer.class, "frames", "--name", name)) {
                runToEnd(writer, 1);
                assertTrue(onlyLine(writer.stderr()).startsWith("[writer] error: the name '" + name + "' is taken by"
                        + " something this writer cannot read as shared memory: "), writer.stderr()::toString);
            }
            try (JvmProcess remove = JvmProcess.start(Writer.class, "frames", "--remove-stale", "--name", name)) {
                assertTrue(onlyLine(runToEnd(remove, 1)).startsWith("[writer] cannot read it, left it: "),
                        remove.stdout()::toString);
            }
            assertTrue(java.nio.file.Files.isDirectory(dir));
        } finally {
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void onWindowsRemoveStaleHasNothingToDo() throws Exception {
        try (JvmProcess remove = JvmProcess.start(Writer.class, "frames", "--remove-stale",
                "--name", objects.name("winstale"))) {
            assertEquals(List.of("[writer] nothing to remove on Windows: a mapping disappears with its last handle"),
                    runToEnd(remove, 0));
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
