package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.structs.Programs.Ran;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo runs its three stories to the end and removes everything it made. */
class DemoIT {
    @Test
    void demoRunsEveryStory() throws Exception {
        String mmf = TestNames.unique("demo-mmf");
        String table = TestNames.unique("demo-table");
        String guarded = TestNames.unique("demo-guarded");
        Ran demo = Programs.run(Demo.class, "--mmf-name", mmf, "--table-name", table, "--guarded-name", guarded);
        assertEquals(0, demo.code(), demo.stderr().toString());
        List<String> out = demo.stdout();
        assertTrue(out.contains("[reader] flyweight (zero copy):       valwrd=7 valint=1 valdbl=2.5"), out.toString());
        String lastTick = "[reader] record 2: au2506 last=3201.50 bid=3201.00x13 ask=3202.00x23 time=09:30:01.500";
        assertTrue(out.contains(lastTick), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("[reader] sequence lock: 0 of ")), out.toString());
        // Lines of two programs come through two pipes in no fixed order; the demo's own line
        // comes after both have exited.
        assertTrue(out.stream().anyMatch(l -> l.startsWith("[writer] stopped after ")), out.toString());
        assertEquals("[demo] done: all three stories ran to the end",
                out.get(out.size() - 1), out.toString());
        TestNames.assertNoSharedMemory(mmf, table, guarded);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void aNameInUseStopsTheDemoWithOneLineAndTheObjectIsLeftAlone() throws Exception {
        String mmf = TestNames.unique("demo-mmf");
        String table = TestNames.unique("demo-table");
        String guarded = TestNames.unique("demo-guarded");
        // Another program holds the record's name, as 02's Owner or the README's terminal-1 writer would.
        try (SharedMemory other = SharedMemory.create(mmf, MmfData.SIZE)) {
            MmfData.at(other).valint(42);
            Ran demo = Programs.run(Demo.class, "--mmf-name", mmf, "--table-name", table, "--guarded-name", guarded);
            assertEquals(Cli.EXIT_FAILURE, demo.code());
            assertEquals(1, demo.stderr().size(), demo.stderr().toString());
            String whose = OsFamily.current().isPosix() ? ", not this module's: it is "
                    : ": another process has it open";
            assertTrue(demo.stderr().get(0).startsWith("[demo] error: 'Writer create --name " + mmf
                    + "' failed (exit 1): shared memory named '" + mmf + "' already exists" + whose),
                    demo.stderr().toString());
            assertTrue(demo.stdout().stream().noneMatch(line -> line.contains("error")), demo.stdout().toString());
            assertEquals("[demo] 1. the Delphi record: the form creates it, the buttons open, act, close",
                    demo.stdout().get(0));
            assertEquals(1, demo.stdout().size(), "no button ran: " + demo.stdout());
            try (SharedMemory still = SharedMemory.open(mmf)) {
                assertEquals(42, MmfData.at(still).valint(), "the demo wrote nothing into it");
            }
        } finally {
            SharedMemory.unlink(mmf); // one failure here must not fail the next test's leftover check
        }
        TestNames.assertNoSharedMemory(mmf, table, guarded);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void aBadNameIsAUsageErrorBeforeAnythingRuns() throws Exception {
        Ran demo = Programs.run(Demo.class, "--guarded-name", "a/b");
        assertEquals(Cli.EXIT_USAGE, demo.code());
        assertEquals(List.of("[demo] error: --guarded-name: invalid name 'a/b': use letters, digits, '.', '_' and '-',"
                + " starting with a letter, digit or '_' " + Cli.HELP_HINT), demo.stderr());
        assertEquals(List.of(), demo.stdout());
    }
}
