package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.Programs.Ran;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo runs its three stories to the end and removes everything it made. */
class DemoIT {
    private final TestObjects objects = new TestObjects();
    private final String mmf = objects.name("demo-mmf");
    private final String table = objects.name("demo-table");
    private final String guarded = objects.name("demo-guarded");

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void demoRunsEveryStory() throws Exception {
        Ran demo = Programs.run(Demo.class, "--mmf-name", mmf, "--table-name", table, "--guarded-name", guarded);
        assertEquals(0, demo.code(), demo.stderr().toString());
        List<String> out = demo.stdout();
        assertTrue(out.contains("[reader] flyweight (zero copy):       valwrd=7 valint=1 valdbl=2.5"), out.toString());
        String lastTick = "[reader] record 2: au2506 last=3201.50 bid=3201.00x13 ask=3202.00x23 time=09:30:01.500";
        assertTrue(out.contains(lastTick), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("[reader] sequence lock: 0 of ")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("[writer] stopped after ")), out.toString());
        // Lines of two programs come through two pipes in no fixed order; the demo's own lines
        // are in order, and the last comes after every program has exited.
        assertEquals(List.of("[demo] 1. the Delphi record: the form creates it, the buttons open, act, close",
                "[demo] closing the form: Enter in the owner's terminal",
                "[demo] 2. market data: a writer publishes ticks into a table, a reader prints them",
                "[demo] 3. torn reads: plain copies of a record that keeps changing, then the sequence lock",
                "[demo] done: all three stories ran to the end"), demoLines(out));
        int done = out.indexOf("[demo] done: all three stories ran to the end");
        assertEquals(List.of(), out.subList(done + 1, out.size()), "nothing comes after the done line");
    }

    @Test
    void aNameInUseStopsTheDemoWithOneLineAndTheObjectIsLeftAlone() throws Exception {
        // Another program holds the record's name, as 02's Owner or the README's terminal-1 writer would.
        try (SharedMemory other = SharedMemory.create(mmf, DelphiRecord.SIZE).unlinkOnExit()) {
            DelphiRecord.at(other).valint(42);
            Ran demo = Programs.run(Demo.class, "--mmf-name", mmf, "--table-name", table, "--guarded-name", guarded);
            assertEquals(Cli.EXIT_FAILURE, demo.code());
            String whose = OsFamily.current().isPosix() ? ", not this module's: it is "
                    : ": another process has it open";
            assertTrue(demo.error().startsWith("[demo] error: 'RecordWriter create --name " + mmf
                    + "' failed (exit 1): shared memory named '" + mmf + "' already exists" + whose), demo.error());
            assertEquals(List.of("[demo] 1. the Delphi record: the form creates it, the buttons open, act, close"),
                    demo.stdout(), "no button ran");
            try (SharedMemory still = SharedMemory.open(mmf)) {
                assertEquals(42, DelphiRecord.at(still).valint(), "the demo wrote nothing into it");
            }
            other.unlink();
        }
    }

    @Test
    void aBadNameIsAUsageErrorBeforeAnythingRuns() throws Exception {
        Ran demo = Programs.run(Demo.class, "--guarded-name", "a/b");
        assertEquals(Cli.EXIT_USAGE, demo.code());
        assertEquals(List.of("[demo] error: --guarded-name: invalid name 'a/b': use letters, digits, '.', '_' and '-',"
                + " starting with a letter, digit or '_' " + Cli.HELP_HINT), demo.stderr());
        assertEquals(List.of(), demo.stdout());
    }

    private static List<String> demoLines(List<String> out) {
        return out.stream().filter(line -> line.startsWith("[demo] ")).collect(Collectors.toList());
    }
}
