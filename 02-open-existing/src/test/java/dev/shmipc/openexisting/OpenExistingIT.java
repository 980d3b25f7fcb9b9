package dev.shmipc.openexisting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.Signals;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The owner and the opener as separate JVMs, as a user runs them. */
class OpenExistingIT {
    /** Generous: JVMs start slowly on a small, busy machine. No test asserts a duration. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final boolean LINUX = OsFamily.current() == OsFamily.LINUX;
    private static final String LEAVES = "; this owner leaves it alone and exits";

    private final TestObjects objects = new TestObjects();

    /** What a finished program left: its exit code and its lines. */
    private record Result(int exit, List<String> out, List<String> err) {
    }

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    private static String nativeName(String name) {
        return ObjectName.of(name).nativeName();
    }

    private static Result run(Class<?> program, String... args) throws Exception {
        try (JvmProcess process = JvmProcess.start(program, args)) {
            int exit = process.waitFor(TIMEOUT);
            return new Result(exit, process.stdout(), process.stderr());
        }
    }

    private static Result opener(String name, String... action) throws Exception {
        List<String> args = new ArrayList<>(List.of(action));
        args.add("--name");
        args.add(name);
        return run(Opener.class, args.toArray(String[]::new));
    }

    private static Result removeStale(String name) throws Exception {
        return run(Owner.class, "--remove-stale", "--name", name);
    }

    /** Runs an opener that must succeed and returns its one line between "opened" and "closed". */
    private static String openerSays(String name, String... action) throws Exception {
        Result result = opener(name, action);
        assertEquals(0, result.exit(), () -> "opener " + List.of(action) + ": " + result);
        assertEquals(List.of(), result.err());
        List<String> out = result.out();
        int opened = out.indexOf("[opener] opened " + nativeName(name));
        int closed = out.indexOf("[opener] closed " + nativeName(name));
        assertTrue(opened >= 0 && closed == opened + 2, () -> "not one line between opened and closed: " + out);
        return out.get(opened + 1);
    }

    /** The one line a program printed: every failure is one line. */
    private static String onlyLine(List<String> lines) {
        assertEquals(1, lines.size(), lines::toString);
        return lines.get(0);
    }

    private static void assertNoOwner(String name) throws Exception {
        Result show = opener(name, "show");
        assertEquals(1, show.exit(), show::toString);
        assertEquals(List.of(), show.out());
        assertEquals(List.of("[opener] error: no shared memory named " + name + "; start the owner first"), show.err());
    }

    /** Asserts that {@code lines} holds {@code expected}, one after the other, wherever they start. */
    private static void assertLinesInOrder(List<String> lines, String... expected) {
        int first = lines.indexOf(expected[0]);
        assertTrue(first >= 0, () -> "missing '" + expected[0] + "' in " + lines);
        assertTrue(first + expected.length <= lines.size(), () -> "lines missing after " + expected[0] + ": " + lines);
        assertEquals(List.of(expected), lines.subList(first, first + expected.length));
    }

    private static JvmProcess startOwner(String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--name", name));
        args.addAll(List.of(more));
        JvmProcess owner = JvmProcess.start(Owner.class, args.toArray(String[]::new));
        owner.awaitLine(line -> line.startsWith("[owner] holding it;"), TIMEOUT);
        return owner;
    }

    private static String removedByOwner(String name) {
        return OsFamily.current().isPosix()
                ? "[owner] removed " + nativeName(name) + " (shm_unlink): no one can open it any more"
                : "[owner] closing " + nativeName(name) + ": Windows deletes it when its last handle closes";
    }

    /** The line --remove-stale prints when it removed this module's record. */
    private static String removedStale(String name) {
        return LINUX
                ? "[owner] removed " + nativeName(name) + " (shm_unlink): a 14-byte TMMFData record, nothing but"
                        + " valint written, that no process has open"
                : "[owner] removed " + nativeName(name) + " (shm_unlink): a TMMFData record by its size and contents;"
                        + " macOS cannot show whether a process still had it mapped";
    }

    @Test
    void openersShowSetAndSizeTheOwnersObjectAndTheOwnerRemovesItOnEnter() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            assertEquals(List.of(
                    "[owner] creating " + nativeName(name) + ", 14 bytes (SizeOf(TMMFData)), with create-or-open",
                    "[owner] created " + nativeName(name) + ": new, 14 bytes, zero-filled",
                    "[owner] holding it; press Enter to remove it and exit (or wait 300 s, or Ctrl-C)"),
                    owner.stdout());

            assertEquals("[opener] valint = 0", openerSays(name, "show"));
            assertEquals("[opener] valint := 1", openerSays(name, "set"));
            assertEquals("[opener] valint = 1", openerSays(name, "show"));
            assertEquals("[opener] valint := -42", openerSays(name, "set", "-42"));
            assertEquals("[opener] valint = -42", openerSays(name, "show"));

            // An independent reader sees the packed record: valint at offset 2, its neighbours untouched.
            try (SharedMemory seen = SharedMemory.open(name)) {
                ByteBuffer record = seen.buffer();
                assertEquals(0, record.getShort(Contract.VALWRD_OFFSET));
                assertEquals(-42, record.getInt(Contract.VALINT_OFFSET));
                assertEquals(0L, record.getLong(Contract.VALDBL_OFFSET));
            }

            String size = openerSays(name, "size");
            if (LINUX) {
                assertEquals("[opener] size = 14 bytes (Linux reports the exact size its creator asked for)", size);
            } else {
                int bytes = Integer.parseInt(size.replaceAll("^\\[opener] size = (\\d+) bytes .*$", "$1"));
                assertTrue(bytes >= Contract.SIZE, size);
            }

            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(), "[owner] Enter pressed", removedByOwner(name));
            assertEquals(List.of(), owner.stderr());
        }
        assertNoOwner(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"show", "set", "size"})
    void withoutAnOwnerEveryActionSaysStartTheOwnerFirst(String action) throws Exception {
        String name = objects.name("open");
        Result result = opener(name, action);
        assertEquals(1, result.exit(), result::toString);
        assertEquals(List.of("[opener] error: no shared memory named " + name + "; start the owner first"),
                result.err());
    }

    @Test
    void aSecondOwnerSeesAlreadyExistsAndLeavesTheFirstOwnersObjectAlone() throws Exception {
        String name = objects.name("open");
        try (JvmProcess first = startOwner(name)) {
            assertEquals("[opener] valint := 5", openerSays(name, "set", "5"));

            Result second = run(Owner.class, "--name", name);
            assertEquals(1, second.exit(), second::toString);
            assertTrue(second.out().stream().anyMatch(line -> line.startsWith("[owner] " + nativeName(name)
                    + " already existed: create-or-open returned the existing object (")), second::toString);
            assertFalse(second.out().stream().anyMatch(line -> line.startsWith("[owner] created ")), second::toString);
            String why;
            switch (OsFamily.current()) {
                case LINUX:
                    why = "' is in use by process " + first.toHandle().pid() + " (another owner, or another program using this"
                            + " name)" + LEAVES;
                    break;
                case MACOS:
                    why = "' already exists: another owner holds it, or a run that ended without removing it (killed,"
                            + " or --keep) left it behind" + LEAVES + " (if no owner runs: Owner --remove-stale --name "
                            + name + ")";
                    break;
                default:
                    why = "' is in use: another process has it open (another owner, or another program using this"
                            + " name)" + LEAVES;
            }
            assertEquals(List.of("[owner] error: '" + name + why), second.err());

            // Neither removed nor zeroed: the first owner's object and value are as they were.
            assertEquals("[opener] valint = 5", openerSays(name, "show"));
            assertTrue(first.isAlive());
            first.writeLine("");
            assertEquals(0, first.waitFor(TIMEOUT));
        }
        assertNoOwner(name);
    }

    @Test
    void theOwnerLeavesAtEndOfInput() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            owner.closeInput();
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(), "[owner] end of input", removedByOwner(name));
        }
        assertNoOwner(name);
    }

    /**
     * {@code Owner <&-}: a JVM started with standard input closed finds one of its own files as
     * descriptor 0, which reads as lines; that must not pass for Enter. JvmProcess always gives a
     * pipe, so a shell closes the descriptor and then execs the JVM.
     */
    @Test
    @EnabledOnOs(OS.LINUX) // Cli recognises a closed standard input on Linux only
    void theOwnerStartedWithStandardInputClosedSaysEndOfInputNotEnterPressed() throws Exception {
        String name = objects.name("open");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process owner = new ProcessBuilder("sh", "-c", "exec \"$0\" \"$@\" <&-", java.toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Owner.class.getName(), "--name", name, "--hold", "60")
                .start();
        owner.getOutputStream().close(); // unused: the shell closed the child's descriptor 0 itself
        try (InputStream out = owner.getInputStream(); InputStream err = owner.getErrorStream()) {
            assertTrue(owner.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the owner still holds after 60 s");
            List<String> lines = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals("", new String(err.readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, owner.exitValue(), lines::toString);
            assertFalse(lines.contains("[owner] Enter pressed"), lines::toString);
            assertLinesInOrder(lines, "[owner] end of input", removedByOwner(name));
        } finally {
            owner.destroyForcibly();
        }
        assertNoOwner(name);
    }

    @Test
    void theOwnerLeavesWhenItsHoldTimeIsUp() throws Exception {
        String name = objects.name("open");
        // Standard input stays open and silent, as under `mvnw exec:exec`: only the timeout ends it.
        try (JvmProcess owner = startOwner(name, "--hold", "1")) {
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(), "[owner] held for 1 s, time is up", removedByOwner(name));
        }
        assertNoOwner(name);
    }

    @Test
    void holdZeroLeavesAtOnce() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name, "--hold", "0")) {
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(),
                    "[owner] holding it; press Enter to remove it and exit (or wait 0 s, or Ctrl-C)",
                    "[owner] held for 0 s, time is up", removedByOwner(name));
        }
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCRemovesTheName() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            Signals.interrupt(owner);
            assertEquals(130, owner.waitFor(TIMEOUT), "128 + SIGINT");
        }
        assertNoOwner(name);
    }

    @Test
    void terminationRemovesTheName() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            owner.terminate();
            assertNotEquals(0, owner.waitFor(TIMEOUT));
        }
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anOwnerWhoseNameWasRemovedUnderItSaysSoOnLeaving() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            assertTrue(SharedMemory.unlink(name)); // as `rm /dev/shm/NAME` would
            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(), "[owner] Enter pressed",
                    "[owner] " + nativeName(name) + " was gone already: someone removed the name while this owner"
                            + " held it");
        }
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aKilledOwnerLeavesThePosixNameWhichBlocksTheNextOwnerUntilRemoveStale() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            owner.kill(); // SIGKILL: no hook runs
        }
        assertEquals("[opener] valint = 0", openerSays(name, "show"));

        Result next = run(Owner.class, "--name", name, "--hold", "1");
        assertEquals(1, next.exit(), next::toString);
        assertEquals(List.of("[owner] error: '" + name + (LINUX
                ? "' already exists and no process has it open: a run that ended without removing it (killed, or"
                        + " --keep) left it behind" + LEAVES + " (Owner --remove-stale --name " + name
                        + " removes it if it is this module's)"
                : "' already exists: another owner holds it, or a run that ended without removing it (killed, or"
                        + " --keep) left it behind" + LEAVES + " (if no owner runs: Owner --remove-stale --name "
                        + name + ")")), next.err());

        Result remove = removeStale(name);
        assertEquals(0, remove.exit(), remove::toString);
        assertEquals(List.of(removedStale(name)), remove.out());
        assertEquals(List.of(), remove.err());
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void onPosixAKeptObjectOutlivesEveryProcessUntilRemoveStale() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name, "--keep")) {
            assertEquals("[opener] valint := 7", openerSays(name, "set", "7"));
            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(), "[owner] Enter pressed",
                    "[owner] leaving " + nativeName(name) + " in place (--keep): it outlives this process until"
                            + " shm_unlink; remove it with Owner --remove-stale --name " + name);
        }
        // No process has it open or mapped, yet the name and the value are there.
        assertEquals("[opener] valint = 7", openerSays(name, "show"));

        Result remove = removeStale(name);
        assertEquals(List.of(removedStale(name)), remove.out());
        Result again = removeStale(name);
        assertEquals(0, again.exit(), again::toString);
        assertEquals(List.of("[owner] nothing to remove: there is no " + nativeName(name)), again.out());
        assertEquals(List.of(), again.err());
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs(OS.LINUX) // only Linux can see who has an object mapped
    void removeStaleLeavesALiveOwnersObject() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            assertEquals("[opener] valint := 3", openerSays(name, "set", "3"));
            Result remove = removeStale(name);
            assertEquals(1, remove.exit(), remove::toString);
            assertEquals(List.of(), remove.out());
            assertEquals(List.of("[owner] error: " + nativeName(name) + " is in use: left it (process " + owner.toHandle().pid()
                    + " has it open: a running owner, or another program using this name)"), remove.err());
            assertEquals("[opener] valint = 3", openerSays(name, "show"));
            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertLinesInOrder(owner.stdout(), "[owner] Enter pressed", removedByOwner(name));
        }
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void removeStaleLeavesARecordAnotherProgramHoldsOpen() throws Exception {
        String name = objects.name("open");
        // Module 05's `RecordWriter` holds a 14-byte record of the same layout under the same name.
        try (SharedMemory writer = SharedMemory.create(name, Contract.SIZE)) {
            Result remove = removeStale(name);
            assertEquals(1, remove.exit(), remove::toString);
            assertEquals(List.of("[owner] error: " + nativeName(name) + " is in use: left it (process "
                    + ProcessHandle.current().pid() + " has it open: a running owner, or another program using this"
                    + " name)"), remove.err());
            assertTrue(writer.unlink(), "left as it was"); // and the test's own object is gone
        }
    }

    /** Objects another program made under the name: module 05's guarded record (30 bytes), or a record it wrote. */
    @ParameterizedTest
    @ValueSource(strings = {"guarded", "valwrd", "valdbl"})
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleLeavesAnObjectThatIsNotThisModules(String kind) throws Exception {
        String name = objects.name("open");
        int size = kind.equals("guarded") ? 30 : Contract.SIZE;
        int written = kind.equals("guarded") ? 16 + Contract.VALDBL_OFFSET // its sequence lock: the record starts at 16
                : kind.equals("valwrd") ? Contract.VALWRD_OFFSET : Contract.VALDBL_OFFSET + 7;
        try (SharedMemory other = SharedMemory.create(name, size)) {
            other.buffer().put(written, (byte) 0x5a);
        }
        Result remove = removeStale(name);
        assertEquals(1, remove.exit(), remove::toString);
        assertEquals(List.of(), remove.out());
        String why = LINUX && kind.equals("guarded") ? "it is 30 bytes; this module's record is 14"
                : "bytes outside valint are not zero, and this module writes only valint";
        assertEquals(List.of("[owner] error: " + nativeName(name) + " is not this module's: left it (" + why + ")"),
                remove.err());
        try (SharedMemory stillThere = SharedMemory.open(name)) {
            assertEquals(0x5a, stillThere.buffer().get(written), "left as it was");
            stillThere.unlink(); // the test's own object
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void removeStaleLeavesADirectoryInDevShm() throws Exception {
        String name = objects.name("open");
        Path directory = Files.createDirectory(Path.of("/dev/shm", name));
        try {
            Result remove = removeStale(name);
            assertEquals(1, remove.exit(), remove::toString);
            assertEquals(List.of(), remove.out());
            // The reason after the parenthesis is the native layer's wording.
            assertTrue(onlyLine(remove.err()).startsWith("[owner] error: " + nativeName(name)
                    + " cannot be checked: left it ("), remove::toString);
            assertTrue(Files.isDirectory(directory));
        } finally {
            Files.deleteIfExists(directory);
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void onWindowsAKeptObjectDiesWithItsLastHandle() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name, "--keep")) {
            assertEquals("[opener] valint := 7", openerSays(name, "set", "7"));
            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
        }
        assertNoOwner(name);
        Result remove = removeStale(name);
        assertEquals(0, remove.exit(), remove::toString);
        assertEquals(List.of("[owner] nothing to remove: on Windows a mapping disappears with its last handle, so no"
                + " run leaves " + nativeName(name) + " behind"), remove.out());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // macOS and Windows round a size up to whole pages: 4 bytes reads as a page
    void anObjectTooSmallForValintIsRefusedInOneLine() throws Exception {
        String name = objects.name("open");
        try (SharedMemory small = SharedMemory.create(name, 4)) {
            assertEquals("[opener] size = 4 bytes (Linux reports the exact size its creator asked for)",
                    openerSays(name, "size"));
            for (String action : List.of("show", "set")) {
                Result result = opener(name, action);
                assertEquals(1, result.exit(), result::toString);
                assertEquals(List.of("[opener] error: '" + name + "' is 4 bytes, too small for valint (bytes 2 to 5):"
                        + " it does not hold a TMMFData record"), result.err());
            }
            assertTrue(small.unlink()); // the test's own object
        }
    }

    @Test
    void anOwnerFindingATooSmallObjectFailsAndLeavesItAlone() throws Exception {
        String name = objects.name("open");
        try (SharedMemory small = SharedMemory.create(name, 4)) {
            Result owner = run(Owner.class, "--name", name, "--hold", "1");
            assertEquals(1, owner.exit(), owner::toString);
            String line = onlyLine(owner.err());
            if (LINUX) { // macOS and Windows: a page, so "already existed" and in use
                assertTrue(line.startsWith("[owner] error: '" + name + "' already exists and this owner cannot use it"
                        + " (open '" + name + "' failed: "), line);
                assertTrue(line.endsWith(")" + LEAVES), line);
            } else {
                assertTrue(line.startsWith("[owner] error: '" + name + "' "), line);
            }
            try (SharedMemory stillThere = SharedMemory.open(name)) {
                assertTrue(stillThere.existed());
            }
            small.unlink(); // the test's own object (on Windows it goes with its last handle)
        }
    }

    static Stream<List<String>> badArguments() {
        return Stream.of(
                List.of("Opener"),
                List.of("Opener", "frob"),
                List.of("Opener", "set", "abc"),
                List.of("Opener", "set", "1", "2"),
                List.of("Opener", "show", "3"),
                List.of("Opener", "show", "--name", "/x"),
                List.of("Opener", "show", "--name", ""),
                List.of("Opener", "show", "--hold", "5"),
                List.of("Owner", "--hold", "-1"),
                List.of("Owner", "--hold", "86401"),
                List.of("Owner", "--hold", "soon"),
                List.of("Owner", "extra"),
                List.of("Owner", "--remove"),
                List.of("Owner", "--remove-stale", "--keep"),
                List.of("Owner", "--remove-stale", "--hold", "5"),
                List.of("Owner", "--remove-stale", "--name", "a/b"),
                List.of("Owner", "--name", "a/b"),
                List.of("Owner", "--name", "this-name-is-31-characters-long"),
                List.of("Demo", "extra"),
                List.of("Demo", "--hold", "5"),
                List.of("Demo", "--name", "a/b"),
                List.of("Demo", "--name", ""));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void badArgumentsPrintOneLineAndExit2(List<String> commandLine) throws Exception {
        Class<?> program = program(commandLine.get(0));
        Result result = run(program, argsWithAName(commandLine).toArray(String[]::new));
        assertEquals(2, result.exit(), result::toString);
        assertEquals(List.of(), result.out());
        String line = onlyLine(result.err());
        assertTrue(line.startsWith("[" + commandLine.get(0).toLowerCase(java.util.Locale.ROOT) + "] error: "), line);
        assertTrue(line.endsWith(" " + Cli.HELP_HINT), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Owner --help", "Owner -h", "Owner --remove-stale --bogus -h", "Opener --help",
            "Opener show -h", "Demo --help", "Demo --name a/b -h"})
    void helpPrintsTheUsageAndExits0(String commandLine) throws Exception {
        List<String> words = List.of(commandLine.split(" "));
        Class<?> program = program(words.get(0));
        Result result = run(program, argsWithAName(words).toArray(String[]::new));
        assertEquals(0, result.exit(), result::toString);
        String usage = program == Owner.class ? Owner.USAGE : program == Opener.class ? Opener.USAGE : Demo.USAGE;
        assertEquals(List.of("usage: " + usage), result.out());
        assertEquals(List.of(), result.err());
    }

    /**
     * The arguments after the program's name, with a name of this test's if none is given: should
     * a program take them for good ones, it acts on that name and never on the default, which
     * module 05 and any other program on the machine may be using.
     */
    private List<String> argsWithAName(List<String> commandLine) {
        List<String> args = new ArrayList<>(commandLine.subList(1, commandLine.size()));
        if (!args.contains("--name")) {
            args.add("--name");
            args.add(objects.name("bad"));
        }
        return args;
    }

    private static Class<?> program(String simpleName) {
        switch (simpleName) {
            case "Owner":
                return Owner.class;
            case "Opener":
                return Opener.class;
            default:
                return Demo.class;
        }
    }

    @Test
    void theDemoRunsBothLessonsAndLeavesNothingBehind() throws Exception {
        String name = objects.name("open");
        Result demo = run(Demo.class, "--name", name);
        assertEquals(0, demo.exit(), demo::toString);
        List<String> out = demo.out();
        List<String> expectedInOrder = List.of(
                "[demo] 1. create once, open by name many times",
                "[opener] valint = 0",
                "[opener] valint := 1",
                "[opener] valint = 1",
                "[demo] a second owner, while the first one runs:",
                "[owner] error: '" + name + "' "
                        + (OsFamily.current() == OsFamily.MACOS ? "already exists" : "is in use"),
                "[owner] Enter pressed",
                "[opener] error: no shared memory named " + name + "; start the owner first",
                "[demo] 2. how long an object lives without its owner",
                "[opener] valint := 7",
                OsFamily.current().isPosix() ? "[opener] valint = 7" : "[demo] every process has exited;",
                OsFamily.current().isPosix() ? removedStale(name) : "[demo] every process has exited;",
                "[opener] error: no shared memory named " + name + "; start the owner first",
                "[demo] done");
        int at = 0;
        for (String expected : expectedInOrder) {
            while (at < out.size() && !out.get(at).startsWith(expected)) {
                at++;
            }
            assertTrue(at < out.size(), () -> "missing, or out of order: '" + expected + "' in " + out);
        }
        assertEquals(List.of(), demo.err());
    }

    @Test
    void theDemoStopsWithOneLineNamingTheCauseWhenItsNameIsHeldAndLeavesTheObjectAlone() throws Exception {
        String name = objects.name("open");
        try (SharedMemory someoneElses = SharedMemory.create(name, Contract.SIZE)) {
            Contract.setValint(someoneElses.buffer(), 1234);
            String reason = LINUX ? "is in use by process " + ProcessHandle.current().pid() : "";
            assertTheDemoStopsAndLeavesIt(name, 1234, reason);
            someoneElses.unlink(); // the test's own object (on Windows it goes with its last handle)
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void theDemoNeverTouchesAnObjectAStaleRunLeft() throws Exception {
        String name = objects.name("open");
        try (SharedMemory stale = SharedMemory.create(name, Contract.SIZE)) {
            Contract.setValint(stale.buffer(), 99);
        } // closed, not removed: what a killed owner leaves
        assertTheDemoStopsAndLeavesIt(name, 99, "already exists");
        assertTrue(SharedMemory.unlink(name)); // the test's own object
    }

    /**
     * Runs the demo on a name something else has, and checks that it stops before any opener
     * runs, with one line that names the owner's reason, and leaves the object's value alone.
     */
    private static void assertTheDemoStopsAndLeavesIt(String name, int valint, String reason) throws Exception {
        Result demo = run(Demo.class, "--name", name);
        assertEquals(1, demo.exit(), demo::toString);
        assertTrue(onlyLine(demo.err()).startsWith("[demo] error: the owner did not start holding '" + name
                + "': it exited with 1: [owner] error: '" + name + "' " + reason), demo::toString);
        assertFalse(demo.out().stream().anyMatch(line -> line.startsWith("[opener]")), demo::toString);
        try (SharedMemory stillThere = SharedMemory.open(name)) {
            assertEquals(valint, Contract.valint(stillThere.buffer()));
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCInTheDemoRemovesTheObjectItsKeepOwnerLeft() throws Exception {
        String name = objects.name("open");
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--name", name)) {
            demo.awaitLine(line -> line.equals("[opener] valint := 7"), TIMEOUT);
            Signals.interrupt(demo);
            int exit = demo.waitFor(TIMEOUT);
            // 130 if the signal came before the demo's own clean-up; 0 if the demo was faster.
            assertTrue(exit == 130 || exit == 0, demo::toString);
        }
        // The --keep owner ends when its input closes with the demo; nothing of the demo's may be left.
        assertFalse(SharedMemory.unlink(name), "the --keep owner's object was left behind");
    }
}
