package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.structs.Programs.Ran;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Delphi form: one JVM holds the record, others click the buttons and read it back. */
class DelphiRecordIT {
    private final String name = TestNames.unique("mmf");

    @AfterEach
    void nothingLeftBehind() {
        TestNames.assertNoSharedMemory(name);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void buttonsSetTheFieldsAndTheReaderSeesThemEveryWay() throws Exception {
        try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            assertEquals("[writer] created '" + name + "' (" + ObjectName.of(name).nativeName() + "), 32 bytes:"
                    + " SizeOf(TMMFData) = 14, then this module's tag at 16", owner.stdout().get(0));

            assertEquals(List.of("[writer] valint = 0"), click("show-valint"));
            assertEquals(List.of("[writer] valwrd := 7"), click("set-valwrd", "7"));
            assertEquals(List.of("[writer] valint := 1"), click("set-valint"));
            assertEquals(List.of("[writer] valdbl := 2.5"), click("set-valdbl", "2.5"));
            assertEquals(List.of("[writer] valint = 1"), click("show-valint"));

            Ran show = Programs.run(Reader.class, "show", "--name", name);
            assertEquals(0, show.code(), show.stderr().toString());
            assertEquals("[reader] flyweight (zero copy):       valwrd=7 valint=1 valdbl=2.5",
                    show.line("[reader] flyweight"));
            assertEquals("[reader] JNA Structure (a copy):      valwrd=7 valint=1 valdbl=2.5",
                    show.line("[reader] JNA"));
            // x86 and ARM64 are little-endian: read big-endian, 7 is 0x0700 and 1 is 0x01000000.
            assertEquals("[reader] big-endian ByteBuffer (bug): valwrd=1792 valint=16777216 valdbl=5.375E-321",
                    show.line("[reader] big-endian"));
            assertEquals("[reader] SwapDouble(5.375E-321) = 2.5: the same 8 bytes, reversed",
                    show.line("[reader] SwapDouble"));

            owner.terminate(); // SIGTERM on POSIX: the exit hook removes the name
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    void badValuesChangeNothingAndSayWhy() throws Exception {
        try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            assertUsage(Programs.run(Writer.class, "set-valint", "abc", "--name", name),
                    "[writer] error: valint must be an Integer (32 bits), not 'abc'");
            assertUsage(Programs.run(Writer.class, "set-valint", "4294967296", "--name", name),
                    "[writer] error: valint must be an Integer (32 bits), not '4294967296'");
            assertUsage(Programs.run(Writer.class, "set-valwrd", "65536", "--name", name),
                    "[writer] error: valwrd is a WORD, 0 to 65535, not 65536");
            assertUsage(Programs.run(Writer.class, "set-valdbl", "two", "--name", name),
                    "[writer] error: valdbl must be a number, not 'two'");
            assertUsage(Programs.run(Writer.class, "set-valdbl", "--name", name),
                    "[writer] error: set-valdbl needs a value");
            assertUsage(Programs.run(Writer.class, "jump", "--name", name), "[writer] error: unknown action 'jump'");
            assertEquals(List.of("[writer] valwrd=0 valint=0 valdbl=0.0"), click("show"));
            owner.terminate();
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    void aMissingObjectIsOneLineThatNamesTheProgramThatCreatesIt() throws Exception {
        // The reader and a button alike: the record is Writer create's, whoever asks.
        for (Class<?> program : List.of(Reader.class, Writer.class)) {
            Ran ran = Programs.run(program, program == Reader.class ? "show" : "show-valint", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[" + (program == Reader.class ? "reader" : "writer") + "] error: no shared memory"
                    + " named '" + name + "'; 'Writer create --name " + name + "' creates it: start that first"),
                    ran.stderr());
        }
    }

    @Test
    void enterOrTheEndOfInputEndsTheHoldAndTheOwnerSaysWhich() throws Exception {
        for (String said : List.of("Enter pressed", "end of input")) {
            try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "120")) {
                owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
                if (said.equals("Enter pressed")) {
                    owner.writeLine("");
                } else {
                    owner.closeInput();
                }
                assertEquals(0, owner.waitFor(Programs.TIMEOUT), owner.stderr().toString());
                assertEquals("[writer] " + said + "; removed '" + name + "'", last(owner.stdout()));
            }
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anOwnerWhoseNameWasRemovedMeanwhileDoesNotClaimToRemoveIt() throws Exception {
        try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            assertTrue(SharedMemory.unlink(name), "another program removes the name"); // as 02's Owner --remove does
            owner.writeLine("");
            assertEquals(0, owner.waitFor(Programs.TIMEOUT), owner.stderr().toString());
            assertEquals("[writer] Enter pressed; '" + name + "' was gone already: another program removed the name",
                    last(owner.stdout()));
        }
    }

    @Test
    void theHoldIsInSecondsAndTheOwnerSaysWhenItRanOut() throws Exception {
        try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "1")) {
            assertEquals(0, owner.waitFor(Programs.TIMEOUT), owner.stderr().toString());
            assertEquals("[writer] holding it; press Enter to remove it and exit (or wait 1 s, or Ctrl-C)",
                    owner.stdout().get(1));
            assertEquals("[writer] held for 1 s, time is up; removed '" + name + "'", last(owner.stdout()));
        }
        // The old option in milliseconds is gone, not quietly taken as seconds.
        assertUsage(Programs.run(Writer.class, "create", "--name", name, "--hold-ms", "1000"),
                "[writer] error: unknown option '--hold-ms'");
    }

    @Test
    void aSecondOwnerIsRefused() throws Exception {
        try (JvmProcess owner = JvmProcess.start(Writer.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            Ran second = Programs.run(Writer.class, "create", "--name", name, "--hold", "1");
            assertEquals(Cli.EXIT_FAILURE, second.code());
            assertEquals(1, second.stderr().size(), second.stderr().toString());
            // On Windows any open handle keeps the mapping, so the message cannot blame a writer.
            String who = OsFamily.current().isPosix()
                    ? "it is the Delphi record of 'Writer create' (pid " + owner.toHandle().pid() + "), which is still running"
                    : "another process has it open";
            assertTrue(second.stderr().get(0).startsWith("[writer] error: shared memory named '" + name
                    + "' already exists: " + who), second.stderr().toString());
            assertTrue(owner.isAlive(), "the first owner keeps its object");
            owner.terminate();
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // sizes are exact on Linux; macOS and Windows round up to a page
    void aMappingSmallerThanOneRecordIsRefused() throws Exception {
        try (SharedMemory small = SharedMemory.create(name, MmfData.SIZE - 1).unlinkOnExit()) {
            Ran ran = Programs.run(Reader.class, "show", "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[reader] error: open '" + name + "' failed: the object is 13 bytes, smaller than the"
                    + " 14 bytes needed"), ran.stderr());
            assertEquals(Cli.EXIT_FAILURE, Programs.run(Writer.class, "set-valint", "--name", name).code());
            small.unlink();
        }
    }

    /** One button click on this test's record: its standard output. */
    private List<String> click(String... action) throws Exception {
        List<String> args = new ArrayList<>(List.of(action));
        args.addAll(List.of("--name", name));
        return Programs.run(Writer.class, args.toArray(String[]::new)).stdout();
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private static void assertUsage(Ran ran, String start) {
        assertEquals(Cli.EXIT_USAGE, ran.code());
        assertEquals(1, ran.stderr().size(), ran.stderr().toString());
        assertEquals(start + " " + Cli.HELP_HINT, ran.stderr().get(0));
        assertEquals(List.of(), ran.stdout());
    }
}
