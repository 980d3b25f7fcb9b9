package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.Programs.Ran;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code Writer --remove-stale} removes what a killed writer of this module left, and nothing
 * else: not another module's object of the same name (02's Owner makes a bare 14-byte record
 * under {@code MEMORY_MAPPED_FILE_NAME}), not a running writer's, not a directory.
 */
@EnabledOnOs({OS.LINUX, OS.MAC}) // a Windows mapping cannot outlive its processes
class RemoveStaleIT {
    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void removesWhatAKilledWriterOfEachKindLeft() throws Exception {
        leftByAKilledWriter("the Delphi record of 'Writer create'", "[writer] holding", "create", "--hold", "120");
        leftByAKilledWriter("the tick table of 'Writer ticks'", "[writer] waiting", "ticks");
        leftByAKilledWriter("the churned record of 'Writer churn'", "[writer] churning", "churn", "--seconds", "120");
    }

    private void leftByAKilledWriter(String what, String ready, String action, String... options) throws Exception {
        String name = objects.name("stale");
        long pid;
        List<String> args = new ArrayList<>(List.of(action, "--name", name));
        args.addAll(List.of(options));
        try (JvmProcess writer = JvmProcess.start(Writer.class, args.toArray(String[]::new))) {
            writer.awaitLine(line -> line.startsWith(ready), Programs.TIMEOUT);
            pid = writer.toHandle().pid();
            writer.kill(); // SIGKILL: no exit hook runs, the name stays
        }
        String it = what + " (pid " + pid + ")";

        // A new writer of that name says what is in the way and how to remove it; it changes nothing.
        Ran again = Programs.run(Writer.class, args.toArray(String[]::new));
        assertEquals(Cli.EXIT_FAILURE, again.code());
        assertEquals(List.of("[writer] error: shared memory named '" + name + "' already exists: it is " + it
                + ", which is gone and left it behind; remove it with: Writer --remove-stale --name " + name),
                again.stderr());

        Ran removed = Programs.run(Writer.class, "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_OK, removed.code(), removed.stderr().toString());
        assertEquals(List.of("[writer] removed '" + name + "': " + it + ", which had ended and left it behind"),
                removed.stdout());
        TestNames.assertNoSharedMemory(name);

        Ran nothing = Programs.run(Writer.class, action, "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_OK, nothing.code(), nothing.stderr().toString());
        assertEquals(List.of("[writer] nothing named '" + name + "' to remove"), nothing.stdout());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // exact sizes, and /proc shows that no process uses it
    void removesAnUntaggedObjectOfAWritersSizeWithNothingWritten() throws Exception {
        // What a writer killed between creating its object and tagging it leaves.
        String name = objects.name("untagged");
        SharedMemory.create(name, Writer.FORM_SIZE).close(); // the name stays; no process uses it
        Ran ran = Programs.run(Writer.class, "create", "--remove-stale", "--name", name);
        assertEquals(List.of("[writer] removed '" + name + "': an object with no tag and nothing written, which no"
                + " process uses (a writer stopped before it tagged it)"),
                ran.stdout());
        assertEquals(Cli.EXIT_OK, ran.code());

        try (SharedMemory written = SharedMemory.create(name, Writer.FORM_SIZE).unlinkOnExit()) {
            written.buffer().put(0, (byte) 1); // one byte written: someone's data, not an abandoned start
        }
        Ran left = Programs.run(Writer.class, "create", "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_FAILURE, left.code(), left.stdout().toString());
        SharedMemory.unlink(name);
    }

    @Test
    void leavesAnotherModulesRecordOfTheSameNameAlone() throws Exception {
        String name = objects.name("mmf02");
        // What 02-open-existing's Owner makes: the bare 14-byte record, here with valint = 7.
        try (SharedMemory other = SharedMemory.create(name, MmfData.SIZE).unlinkOnExit()) {
            MmfData.at(other).valint(7);

            Ran ran = Programs.run(Writer.class, "create", "--remove-stale", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code(), "something was left alone");
            assertEquals(1, ran.stdout().size(), ran.stdout().toString());
            assertTrue(ran.stdout().get(0).startsWith("[writer] left '" + name + "' alone, not this module's: "),
                    ran.stdout().toString());
            if (OsFamily.current() == OsFamily.LINUX) { // exact sizes; macOS rounds the object up to a page
                assertEquals("[writer] left '" + name + "' alone, not this module's: it is 14 bytes, too small for"
                        + " this module's tag, a bare TMMFData such as 02-open-existing's Owner makes under the same"
                        + " default name", ran.stdout().get(0));
            }

            Ran create = Programs.run(Writer.class, "create", "--name", name, "--hold", "0");
            assertEquals(Cli.EXIT_FAILURE, create.code());
            assertEquals(1, create.stderr().size(), create.stderr().toString());
            assertTrue(create.stderr().get(0).startsWith("[writer] error: shared memory named '" + name
                    + "' already exists, not this module's: it "), create.stderr().toString());

            try (SharedMemory still = SharedMemory.open(name)) {
                assertEquals(7, MmfData.at(still).valint(), "untouched");
            }
            other.unlink();
        }
    }

    @Test
    void leavesARunningWritersObjectAlone() throws Exception {
        String name = objects.name("live");
        try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            Ran ran = Programs.run(Writer.class, "--remove-stale", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[writer] left '" + name + "' alone: it is the Delphi record of 'Writer create' (pid "
                    + owner.toHandle().pid() + "), which is still running"), ran.stdout());
            assertTrue(owner.isAlive());
            owner.writeLine("");
            assertEquals(0, owner.waitFor(Programs.TIMEOUT));
            assertEquals("[writer] Enter pressed; removed '" + name + "'",
                    owner.stdout().get(owner.stdout().size() - 1), "the owner still had its object");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDirectoryInDevShmIsOneLineEverywhereAndStays() throws Exception {
        String name = objects.name("dir");
        Path directory = Files.createDirectory(Path.of("/dev/shm", name));
        try {
            Ran remove = Programs.run(Writer.class, "--remove-stale", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, remove.code());
            assertEquals(1, remove.stdout().size(), remove.stdout().toString());
            assertTrue(remove.stdout().get(0).startsWith("[writer] left '" + name + "' alone, it cannot be checked: "),
                    remove.stdout().toString());
            for (Ran ran : List.of(Programs.run(Writer.class, "create", "--name", name),
                    Programs.run(Writer.class, "ticks", "--name", name),
                    Programs.run(Writer.class, "show", "--name", name),
                    Programs.run(Reader.class, "show", "--name", name),
                    Programs.run(Reader.class, "check", "--name", name))) {
                assertEquals(Cli.EXIT_FAILURE, ran.code(), ran.stderr().toString());
                assertEquals(1, ran.stderr().size(), ran.stderr().toString());
                assertTrue(ran.stderr().get(0).matches("\\[(writer|reader)] error: .*'" + name + "'.*"),
                        ran.stderr().toString());
            }
            assertTrue(Files.isDirectory(directory), "left alone");
        } finally {
            Files.delete(directory);
        }
    }

    @Test
    void theFlagTakesOnlyANameAndACreatingAction() throws Exception {
        String name = objects.name("usage");
        for (List<String> args : List.of(List.of("set-valint", "--remove-stale", "--name", name),
                List.of("create", "--remove-stale", "--hold", "5", "--name", name),
                List.of("--remove-stale", "--name", "bad/name"))) {
            Ran ran = Programs.run(Writer.class, args.toArray(String[]::new));
            assertEquals(Cli.EXIT_USAGE, ran.code(), args.toString());
            assertEquals(1, ran.stderr().size(), ran.stderr().toString());
            assertTrue(ran.stderr().get(0).endsWith(Cli.HELP_HINT), ran.stderr().toString());
        }
        try {
            SharedMemory.open(name).close();
            throw new AssertionError("nothing was to be created");
        } catch (IpcException e) {
            assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
        }
    }
}
