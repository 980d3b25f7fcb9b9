package dev.shmipc.openexisting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.JvmProcess;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The owner and the opener as separate JVMs, as a user runs them. */
class OpenExistingIT {
    /** Generous: JVMs start slowly on a small, busy machine. No test asserts a duration. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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

    /** Runs an opener that must succeed and returns its one line between "opened" and "closed". */
    private static String openerSays(String name, String... action) throws Exception {
        Result result = opener(name, action);
        assertEquals(0, result.exit(), () -> "opener " + List.of(action) + ": " + result);
        assertEquals(3, result.out().size(), result::toString);
        assertEquals("[opener] opened " + nativeName(name), result.out().get(0));
        assertEquals("[opener] closed " + nativeName(name), result.out().get(2));
        assertEquals(List.of(), result.err());
        return result.out().get(1);
    }

    private static void assertNoOwner(String name) throws Exception {
        Result show = opener(name, "show");
        assertEquals(1, show.exit(), show::toString);
        assertEquals(List.of(), show.out());
        assertEquals(List.of("[opener] error: no shared memory named " + name + "; start the owner first"), show.err());
    }

    private static JvmProcess startOwner(String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--name", name));
        args.addAll(List.of(more));
        JvmProcess owner = JvmProcess.start(Owner.class, args.toArray(String[]::new));
        owner.awaitLine(line -> line.startsWith("[owner] holding it;"), TIMEOUT);
        return owner;
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
                assertEquals(0, record.getShort(MmfData.VALWRD_OFFSET));
                assertEquals(-42, record.getInt(MmfData.VALINT_OFFSET));
                assertEquals(0L, record.getLong(MmfData.VALDBL_OFFSET));
            }

            String size = openerSays(name, "size");
            if (OsFamily.current() == OsFamily.LINUX) {
                assertEquals("[opener] size = 14 bytes (Linux reports the exact size the owner asked for)", size);
            } else {
                int bytes = Integer.parseInt(size.replaceAll("^\\[opener] size = (\\d+) bytes .*$", "$1"));
                assertTrue(bytes >= MmfData.SIZE, size);
            }

            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            List<String> out = owner.stdout();
            assertEquals("[owner] Enter pressed", out.get(3));
            assertEquals(OsFamily.current().isPosix()
                    ? "[owner] removed " + nativeName(name) + " (shm_unlink): no one can open it any more"
                    : "[owner] closing " + nativeName(name) + ": Windows deletes it when its last handle closes",
                    out.get(4));
            assertEquals(5, out.size(), out::toString);
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
            assertEquals(2, second.out().size(), second::toString);
            assertTrue(second.out().get(1).startsWith(
                    "[owner] " + nativeName(name) + " already existed: create-or-open returned the existing object ("),
                    second.out().get(1));
            assertEquals(1, second.err().size(), second::toString);
            assertTrue(second.err().get(0).startsWith(
                    "[owner] error: another owner holds '" + name + "'; this one leaves it alone and exits"),
                    second.err().get(0));

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
            assertEquals("[owner] end of input", owner.stdout().get(3));
        }
        assertNoOwner(name);
    }

    @Test
    void theOwnerLeavesWhenItsHoldTimeIsUp() throws Exception {
        String name = objects.name("open");
        // Standard input stays open and silent, as under `mvnw exec:exec`: only the timeout ends it.
        try (JvmProcess owner = startOwner(name, "--hold", "1")) {
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertEquals("[owner] held for 1 s, time is up", owner.stdout().get(3));
        }
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCRemovesTheName() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            owner.interrupt();
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
    void aKilledOwnerLeavesThePosixNameWhichBlocksTheNextOwnerUntilRemoved() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name)) {
            owner.kill(); // SIGKILL: no hook runs
        }
        assertEquals("[opener] valint = 0", openerSays(name, "show"));

        Result next = run(Owner.class, "--name", name, "--hold", "1");
        assertEquals(1, next.exit(), next::toString);
        assertEquals(List.of("[owner] error: another owner holds '" + name + "'; this one leaves it alone and exits"
                + " (if no owner is running, a crashed one left it behind: remove it with Owner --remove --name "
                + name + ")"), next.err());

        Result remove = run(Owner.class, "--remove", "--name", name);
        assertEquals(0, remove.exit(), remove::toString);
        assertEquals(List.of("[owner] removed " + nativeName(name) + " (shm_unlink)"), remove.out());
        assertNoOwner(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void onPosixAKeptObjectOutlivesEveryProcessUntilRemoved() throws Exception {
        String name = objects.name("open");
        try (JvmProcess owner = startOwner(name, "--keep")) {
            assertEquals("[opener] valint := 7", openerSays(name, "set", "7"));
            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertEquals("[owner] leaving " + nativeName(name) + " in place (--keep): it outlives this process until"
                    + " shm_unlink; remove it with Owner --remove --name " + name, owner.stdout().get(4));
        }
        // No process has it open or mapped, yet the name and the value are there.
        assertEquals("[opener] valint = 7", openerSays(name, "show"));

        Result remove = run(Owner.class, "--remove", "--name", name);
        assertEquals(List.of("[owner] removed " + nativeName(name) + " (shm_unlink)"), remove.out());
        Result again = run(Owner.class, "--remove", "--name", name);
        assertEquals(0, again.exit(), again::toString);
        assertEquals(List.of("[owner] there is no " + nativeName(name) + " to remove"), again.out());
        assertNoOwner(name);
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
    }

    @Test
    @EnabledOnOs(OS.LINUX) // macOS and Windows round a size up to whole pages: 4 bytes reads as a page
    void anObjectTooSmallForValintIsRefusedInOneLine() throws Exception {
        String name = objects.name("open");
        try (SharedMemory small = SharedMemory.create(name, 4)) {
            assertEquals("[opener] size = 4 bytes (Linux reports the exact size the owner asked for)",
                    openerSays(name, "size"));
            for (String action : List.of("show", "set")) {
                Result result = opener(name, action);
                assertEquals(1, result.exit(), result::toString);
                assertEquals(List.of("[opener] error: '" + name + "' is 4 bytes, too small for valint (bytes 2 to 5):"
                        + " it does not hold a TMMFData record"), result.err());
            }
        } finally {
            SharedMemory.unlink(name);
        }
    }

    @Test
    void anOwnerFindingATooSmallObjectFailsAndLeavesItAlone() throws Exception {
        String name = objects.name("open");
        try (SharedMemory small = SharedMemory.create(name, 4)) {
            Result owner = run(Owner.class, "--name", name, "--hold", "1");
            assertEquals(1, owner.exit(), owner::toString);
            assertEquals(1, owner.err().size(), owner::toString);
            // Linux: too small for 14 bytes. macOS and Windows: a page, so "already existed".
            assertTrue(owner.err().get(0).startsWith("[owner] error: "), owner.err().get(0));
            try (SharedMemory stillThere = SharedMemory.open(name)) {
                assertTrue(stillThere.existed());
            }
        } finally {
            SharedMemory.unlink(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Opener", "Opener frob", "Opener set abc", "Opener show 3", "Opener show --name /x",
            "Owner --hold 0", "Owner --hold soon", "Owner extra", "Owner --remove --keep", "Owner --name a/b"})
    void badArgumentsPrintOneLineAndExit2(String commandLine) throws Exception {
        String[] words = commandLine.split(" ");
        Class<?> program = words[0].equals("Owner") ? Owner.class : Opener.class;
        String role = program == Owner.class ? "owner" : "opener";
        Result result = run(program, java.util.Arrays.copyOfRange(words, 1, words.length));
        assertEquals(2, result.exit(), result::toString);
        assertEquals(List.of(), result.out());
        assertEquals(1, result.err().size(), result::toString);
        assertTrue(result.err().get(0).startsWith("[" + role + "] error: "), result.err().get(0));
        assertTrue(result.err().get(0).endsWith("(usage: "
                + (program == Owner.class ? Owner.USAGE : Opener.USAGE) + ")"), result.err().get(0));
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
                "[owner] error: another owner holds '" + name + "'; this one leaves it alone and exits",
                "[owner] Enter pressed",
                "[opener] error: no shared memory named " + name + "; start the owner first",
                "[demo] 2. how long an object lives without its owner",
                "[opener] valint := 7",
                OsFamily.current().isPosix() ? "[opener] valint = 7" : "[demo] every process has exited;",
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
    void theDemoStopsWithOneLineWhenItsNameIsTakenAndLeavesTheObjectAlone() throws Exception {
        String name = objects.name("open");
        try (SharedMemory someoneElses = SharedMemory.create(name, MmfData.SIZE)) {
            Result demo = run(Demo.class, "--name", name);
            assertEquals(1, demo.exit(), demo::toString);
            assertEquals(List.of("[demo] error: the owner did not start holding '" + name + "'; see its error above"),
                    demo.err());
            try (SharedMemory stillThere = SharedMemory.open(name)) {
                assertTrue(stillThere.existed());
            }
        } finally {
            SharedMemory.unlink(name);
        }
    }
}
