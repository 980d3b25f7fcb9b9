package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
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
 * A writer's {@code --remove-stale} removes what a killed writer of this module left, and nothing
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
        leftByAKilledWriter("the Delphi record of 'RecordWriter create'", "[writer] holding", RecordWriter.class,
                "create", "--hold", "120");
        leftByAKilledWriter("the tick table of 'TickWriter'", "[writer] waiting", TickWriter.class);
        leftByAKilledWriter("the churned record of 'TornWriter'", "[writer] churning", TornWriter.class,
                "--seconds", "120");
    }

    private void leftByAKilledWriter(String what, String ready, Class<?> program, String... options)
            throws Exception {
        String name = objects.name("stale");
        long pid;
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--name", name));
        try (JvmProcess writer = JvmProcess.start(program, args.toArray(String[]::new))) {
            writer.awaitLine(line -> line.startsWith(ready), Programs.TIMEOUT);
            pid = writer.toHandle().pid();
            writer.kill(); // SIGKILL: no exit hook runs, the name stays
        }
        String it = what + " (pid " + pid + ")";

        // A new writer of that name says what is in the way and how to remove it; it changes nothing.
        Ran again = Programs.run(program, args.toArray(String[]::new));
        assertEquals(Cli.EXIT_FAILURE, again.code());
        assertEquals(List.of("[writer] error: shared memory named '" + name + "' already exists: it is " + it
                + ", which is gone and left it behind; remove it with: " + program.getSimpleName()
                + " --remove-stale --name " + name), again.stderr());

        Ran removed = Programs.run(program, "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_OK, removed.code(), removed.stderr().toString());
        assertEquals(List.of("[writer] removed '" + name + "': " + it + ", which had ended and left it behind"),
                removed.stdout());
        TestNames.assertNoSharedMemory(name);

        Ran nothing = Programs.run(program, "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_OK, nothing.code(), nothing.stderr().toString());
        assertEquals(List.of("[writer] nothing named '" + name + "' to remove"), nothing.stdout());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // exact sizes, and /proc shows that no process uses it
    void removesAnUntaggedObjectOfAWritersSizeWithNothingWritten() throws Exception {
        // What a writer killed between creating its object and tagging it leaves.
        String name = objects.name("untagged");
        SharedMemory.create(name, Contract.RECORD_OBJECT_SIZE).close(); // the name stays; no process uses it
        Ran ran = Programs.run(RecordWriter.class, "--remove-stale", "--name", name);
        assertEquals(List.of("[writer] removed '" + name + "': an object with no tag and nothing written, which no"
                + " process uses (a writer stopped before it tagged it)"), ran.stdout());
        assertEquals(Cli.EXIT_OK, ran.code());

        try (SharedMemory written = SharedMemory.create(name, Contract.RECORD_OBJECT_SIZE).unlinkOnExit()) {
            written.buffer().put(0, (byte) 1); // one byte written: someone's data, not an abandoned start
        }
        Ran left = Programs.run(RecordWriter.class, "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_FAILURE, left.code(), left.stdout().toString());
        assertTrue(SharedMemory.unlink(name), "left alone");
    }

    @Test
    void leavesAnotherModulesRecordOfTheSameNameAlone() throws Exception {
        String name = objects.name("mmf02");
        // What 02-open-existing's Owner makes: the bare 14-byte record, here with valint = 7.
        try (SharedMemory other = SharedMemory.create(name, DelphiRecord.SIZE).unlinkOnExit()) {
            DelphiRecord.at(other).valint(7);

            Ran ran = Programs.run(RecordWriter.class, "--remove-stale", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code(), "something was left alone");
            assertEquals(List.of(ran.line("[writer] left '" + name + "' alone, not this module's: ")), ran.stdout());
            if (OsFamily.current() == OsFamily.LINUX) { // exact sizes; macOS rounds the object up to a page
                assertEquals(List.of("[writer] left '" + name + "' alone, not this module's: it is 14 bytes, too small"
                        + " for this module's tag, a bare TMMFData such as 02-open-existing's Owner makes under the"
                        + " same default name"), ran.stdout());
            }

            Ran create = Programs.run(RecordWriter.class, "create", "--name", name, "--hold", "0");
            assertEquals(Cli.EXIT_FAILURE, create.code());
            assertTrue(create.error().startsWith("[writer] error: shared memory named '" + name
                    + "' already exists, not this module's: it "), create.error());

            try (SharedMemory still = SharedMemory.open(name)) {
                assertEquals(7, DelphiRecord.at(still).valint(), "untouched");
            }
            other.unlink();
        }
    }

    @Test
    void leavesARunningWritersObjectAlone() throws Exception {
        String name = objects.name("live");
        try (JvmProcess owner = JvmProcess.start(RecordWriter.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            Ran ran = Programs.run(RecordWriter.class, "--remove-stale", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[writer] left '" + name + "' alone: it is the Delphi record of 'RecordWriter create'"
                    + " (pid " + owner.toHandle().pid() + "), which is still running"), ran.stdout());
            assertTrue(owner.isAlive());
            owner.writeLine("");
            assertEquals(0, owner.waitFor(Programs.TIMEOUT));
            assertTrue(owner.stdout().contains("[writer] Enter pressed; removed '" + name + "'"),
                    "the owner still had its object: " + owner.stdout());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDirectoryInDevShmIsOneLineEverywhereAndStays() throws Exception {
        String name = TestNames.unique("dir"); // a directory, not shared memory: the test removes it itself
        Path directory = Files.createDirectory(Path.of("/dev/shm", name));
        try {
            Ran remove = Programs.run(RecordWriter.class, "--remove-stale", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, remove.code());
            assertEquals(List.of(remove.line("[writer] left '" + name + "' alone, it cannot be checked: ")),
                    remove.stdout());
            for (Ran ran : List.of(Programs.run(RecordWriter.class, "create", "--name", name),
                    Programs.run(TickWriter.class, "--name", name),
                    Programs.run(TornWriter.class, "--name", name),
                    Programs.run(RecordWriter.class, "show", "--name", name),
                    Programs.run(RecordReader.class, "--name", name),
                    Programs.run(TickReader.class, "--name", name),
                    Programs.run(TornReader.class, "--name", name))) {
                assertEquals(Cli.EXIT_FAILURE, ran.code(), ran.stderr().toString());
                assertTrue(ran.error().matches("\\[(writer|reader)] error: .*'" + name + "'.*"), ran.error());
            }
            assertTrue(Files.isDirectory(directory), "left alone");
        } finally {
            Files.delete(directory); // the test's own fixture, which no check after the test looks for
        }
    }

    @Test
    void theFlagTakesOnlyAName() throws Exception {
        String name = objects.name("usage");
        for (List<String> args : List.of(List.of("set-valint", "--remove-stale", "--name", name),
                List.of("create", "--remove-stale", "--name", name),
                List.of("--remove-stale", "--hold", "5", "--name", name),
                List.of("--remove-stale", "--name", "bad/name"))) {
            Ran ran = Programs.run(RecordWriter.class, args.toArray(String[]::new));
            assertEquals(Cli.EXIT_USAGE, ran.code(), args.toString());
            assertTrue(ran.error().endsWith(Cli.HELP_HINT), ran.error());
        }
        Ran ran = Programs.run(TickWriter.class, "--remove-stale", "--records", "2", "--name", name);
        assertEquals(List.of("[writer] error: --remove-stale takes no option but --name, not --records "
                + Cli.HELP_HINT), ran.stderr());
        IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(name), "nothing was created");
        assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
    }
}
