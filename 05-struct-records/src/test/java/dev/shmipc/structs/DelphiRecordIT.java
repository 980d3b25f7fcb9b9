package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.Programs.Ran;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Delphi form: one JVM holds the record, others click the buttons and read it back. */
class DelphiRecordIT {
    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("mmf");

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void buttonsSetTheFieldsAndTheReaderSeesThemEveryWay() throws Exception {
        try (JvmProcess owner = startOwner("120")) {
            assertEquals(ownerLines("120"), owner.stdout(), "the owner holds the record and says so");

            assertEquals(List.of("[writer] valint = 0"), click("show-valint"));
            assertEquals(List.of("[writer] valwrd := 7"), click("set-valwrd", "7"));
            assertEquals(List.of("[writer] valint := 1"), click("set-valint"));
            assertEquals(List.of("[writer] valdbl := 2.5"), click("set-valdbl", "2.5"));
            assertEquals(List.of("[writer] valint = 1"), click("show-valint"));

            Ran show = Programs.run(RecordReader.class, "--name", name);
            assertEquals(0, show.code(), show.stderr().toString());
            // The order of the lines is the reader's story: the record, then three ways to read it.
            assertEquals(List.of("[reader] opened '" + name + "', 32 bytes",
                    "[reader] flyweight (zero copy):       valwrd=7 valint=1 valdbl=2.5",
                    "[reader] JNA Structure (a copy):      valwrd=7 valint=1 valdbl=2.5",
                    // x86 and ARM64 are little-endian: read big-endian, 7 is 0x0700 and 1 is 0x01000000.
                    "[reader] big-endian ByteBuffer (bug): valwrd=1792 valint=16777216 valdbl=5.375E-321",
                    "[reader] SwapDouble(5.375E-321) = 2.5: the same 8 bytes, reversed"), show.stdout());

            owner.terminate(); // SIGTERM on POSIX: the exit hook removes the name
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    void badValuesChangeNothingAndSayWhy() throws Exception {
        try (JvmProcess owner = startOwner("120")) {
            assertUsage(button("set-valint", "abc"), "[writer] error: valint must be an Integer (32 bits), not 'abc'");
            assertUsage(button("set-valint", "4294967296"),
                    "[writer] error: valint must be an Integer (32 bits), not '4294967296'");
            assertUsage(button("set-valwrd", "65536"), "[writer] error: valwrd is a WORD, 0 to 65535, not 65536");
            assertUsage(button("set-valdbl", "two"), "[writer] error: valdbl must be a number, not 'two'");
            assertUsage(button("set-valdbl"), "[writer] error: set-valdbl needs a value");
            assertUsage(button("jump"), "[writer] error: unknown action 'jump'");
            assertUsage(button("show", "--hold", "3"), "[writer] error: option --hold does not apply to 'show'");
            assertUsage(Programs.run(RecordReader.class, "--name", name, "--index", "3"),
                    "[reader] error: unknown option '--index'");
            assertEquals(List.of("[writer] valwrd=0 valint=0 valdbl=0.0"), click("show"));
            owner.terminate();
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    void aMissingObjectIsOneLineThatNamesTheProgramThatCreatesIt() throws Exception {
        // The reader and a button alike: the record is RecordWriter create's, whoever asks.
        String hint = " error: no shared memory named '" + name + "'; 'RecordWriter create --name " + name
                + "' creates it: start that first";
        Ran reader = Programs.run(RecordReader.class, "--name", name);
        assertEquals(Cli.EXIT_FAILURE, reader.code());
        assertEquals(List.of("[reader]" + hint), reader.stderr());
        Ran button = button("show-valint");
        assertEquals(Cli.EXIT_FAILURE, button.code());
        assertEquals(List.of("[writer]" + hint), button.stderr());
    }

    @Test
    void enterOrTheEndOfInputEndsTheHoldAndTheOwnerSaysWhich() throws Exception {
        for (String said : List.of("Enter pressed", "end of input")) {
            try (JvmProcess owner = startOwner("120")) {
                if (said.equals("Enter pressed")) {
                    owner.writeLine("");
                } else {
                    owner.closeInput();
                }
                assertEquals(0, owner.waitFor(Programs.TIMEOUT), owner.stderr().toString());
                assertEquals(ownerLines("120", "[writer] " + said + "; removed '" + name + "'"), owner.stdout());
            }
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anOwnerWhoseNameWasRemovedMeanwhileDoesNotClaimToRemoveIt() throws Exception {
        try (JvmProcess owner = startOwner("120")) {
            assertTrue(SharedMemory.unlink(name), "another program removes the name"); // as 02's Owner --remove does
            owner.writeLine("");
            assertEquals(0, owner.waitFor(Programs.TIMEOUT), owner.stderr().toString());
            assertEquals(ownerLines("120", "[writer] Enter pressed; '" + name
                    + "' was gone already: another program removed the name"), owner.stdout());
        }
    }

    @Test
    void theHoldIsInSecondsAndTheOwnerSaysWhenItRanOut() throws Exception {
        try (JvmProcess owner = JvmProcess.start(RecordWriter.class, "create", "--name", name, "--hold", "1")) {
            assertEquals(0, owner.waitFor(Programs.TIMEOUT), owner.stderr().toString());
            assertEquals(ownerLines("1", "[writer] held for 1 s, time is up; removed '" + name + "'"), owner.stdout());
        }
        // The old option in milliseconds is gone, not quietly taken as seconds.
        assertUsage(Programs.run(RecordWriter.class, "create", "--name", name, "--hold-ms", "1000"),
                "[writer] error: unknown option '--hold-ms'");
    }

    @Test
    void aSecondOwnerIsRefused() throws Exception {
        try (JvmProcess owner = startOwner("120")) {
            Ran second = Programs.run(RecordWriter.class, "create", "--name", name, "--hold", "1");
            assertEquals(Cli.EXIT_FAILURE, second.code());
            // On Windows any open handle keeps the mapping, so the message cannot blame a writer.
            String who = OsFamily.current().isPosix() ? "it is the Delphi record of 'RecordWriter create' (pid "
                    + owner.toHandle().pid() + "), which is still running" : "another process has it open";
            assertTrue(second.error().startsWith("[writer] error: shared memory named '" + name
                    + "' already exists: " + who), second.error());
            assertTrue(owner.isAlive(), "the first owner keeps its object");
            owner.terminate();
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // sizes are exact on Linux; macOS and Windows round up to a page
    void aMappingSmallerThanOneRecordIsRefused() throws Exception {
        try (SharedMemory small = SharedMemory.create(name, DelphiRecord.SIZE - 1).unlinkOnExit()) {
            Ran ran = Programs.run(RecordReader.class, "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[reader] error: open '" + name + "' failed: the object is 13 bytes, smaller than the"
                    + " 14 bytes needed"), ran.stderr());
            assertEquals(Cli.EXIT_FAILURE, button("set-valint").code());
            small.unlink();
        }
    }

    /** Starts {@code RecordWriter create} on this test's name and waits until it holds the record. */
    private JvmProcess startOwner(String holdSeconds) throws Exception {
        JvmProcess owner = JvmProcess.start(RecordWriter.class, "create", "--name", name, "--hold", holdSeconds);
        owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
        return owner;
    }

    /** What the owner prints, in order: created, holding, and then how the hold ended. */
    private List<String> ownerLines(String holdSeconds, String... end) {
        List<String> lines = new ArrayList<>(List.of("[writer] created '" + name + "' ("
                + ObjectName.of(name).nativeName() + "), 32 bytes: SizeOf(TMMFData) = 14, then this module's tag at 16",
                "[writer] holding it; press Enter to remove it and exit (or wait " + holdSeconds + " s, or Ctrl-C)"));
        lines.addAll(List.of(end));
        return lines;
    }

    /** One button click on this test's record. */
    private Ran button(String... action) throws Exception {
        List<String> args = new ArrayList<>(List.of(action));
        args.addAll(List.of("--name", name));
        return Programs.run(RecordWriter.class, args.toArray(String[]::new));
    }

    /** One button click that succeeds: its standard output. */
    private List<String> click(String... action) throws Exception {
        Ran ran = button(action);
        assertEquals(0, ran.code(), ran.stderr().toString());
        return ran.stdout();
    }

    private static void assertUsage(Ran ran, String start) {
        assertEquals(Cli.EXIT_USAGE, ran.code());
        assertEquals(List.of(start + " " + Cli.HELP_HINT), ran.stderr());
        assertEquals(List.of(), ran.stdout());
    }
}
