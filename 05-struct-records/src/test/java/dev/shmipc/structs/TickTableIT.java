package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.Signals;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.Programs.Ran;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The market-data writer and reader as separate JVMs. */
class TickTableIT {
    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("ticks");

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void theReaderPrintsOnlyWholeTicksAndEndsOnTheLastOfEach() throws Exception {
        Ran writer;
        Ran reader;
        // The writer waits as long as the test does for the reader's JVM to start (default 30 s).
        try (JvmProcess writing = JvmProcess.start(TickWriter.class, "--name", name, "--records", "3",
                "--ticks", "30", "--interval-ms", "5", "--wait-reader-ms", "60000")) {
            writing.awaitLine(line -> line.startsWith("[writer] created"), Programs.TIMEOUT);
            reader = Programs.run(TickReader.class, "--name", name);
            writer = Programs.finish(writing);
        }
        assertEquals(0, writer.code(), writer.stderr().toString());
        assertEquals(0, reader.code(), reader.stderr().toString());
        assertEquals("[writer] a reader is attached", writer.line("[writer] a reader"));
        assertEquals("[reader] opened '" + name + "': 3 records of 88 bytes", reader.line("[reader] opened"));

        // Every record the reader printed is one the writer wrote whole (or the initial one).
        Set<String> written = new HashSet<>();
        Map<Integer, String> lastWritten = new HashMap<>();
        for (int slot = 0; slot < 3; slot++) {
            written.add("record " + slot + ": " + Ticks.tick(slot, 0).format());
        }
        for (String line : writer.stdout()) {
            if (line.startsWith("[writer] tick ")) {
                String record = line.substring(line.indexOf("-> ") + 3);
                written.add(record);
                lastWritten.put(Integer.parseInt(record.substring(7, record.indexOf(':'))), record);
            }
        }
        assertEquals(3, lastWritten.size());
        Map<Integer, String> lastRead = new HashMap<>();
        for (String line : reader.stdout()) {
            if (line.startsWith("[reader] record ")) {
                String record = line.substring("[reader] ".length());
                assertTrue(written.contains(record), "never written whole: " + line);
                lastRead.put(Integer.parseInt(record.substring(7, record.indexOf(':'))), record);
            }
        }
        assertEquals(lastWritten, lastRead, "the reader's last pass comes after the writer's last tick");
        assertEquals("[reader] record 2: au2506 last=3205.00 bid=3204.50x20 ask=3205.50x30 time=09:30:05.000",
                "[reader] " + lastRead.get(2));
        reader.line("[reader] the writer is done;");
    }

    @Test
    void theReaderTimesOutOnlyWhenNothingChanges() throws Exception {
        // The run (24 ticks, 300 ms apart) lasts more than twice the reader's timeout: a deadline
        // for the whole run would fail it, one that every tick pushes forward does not.
        try (JvmProcess writing = JvmProcess.start(TickWriter.class, "--name", name, "--records", "2",
                "--ticks", "24", "--interval-ms", "300", "--wait-reader-ms", "60000")) {
            writing.awaitLine(line -> line.startsWith("[writer] created"), Programs.TIMEOUT);
            Ran reader = Programs.run(TickReader.class, "--name", name, "--timeout-ms", "3000");
            assertEquals(0, reader.code(), reader.stderr().toString());
            reader.line("[reader] the writer is done;");
            assertEquals(0, Programs.finish(writing).code());
        }
    }

    @Test
    void aWriterThatStopsPublishingIsReportedAfterTheTimeout() throws Exception {
        try (SharedMemory stalled = SharedMemory.create(name, TickTable.size(1)).unlinkOnExit()) {
            Contract.tag(stalled, Contract.Kind.TABLE);
            stalled.setIntRelease(TickTable.RECORDS_OFFSET, 1);
            stalled.setIntRelease(TickTable.STATE_OFFSET, TickTable.PUBLISHING); // and then nothing
            Ran ran = Programs.run(TickReader.class, "--name", name, "--timeout-ms", "500");
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[reader] error: the writer of '" + name + "' has changed nothing for 500 ms;"
                    + " did it die?"), ran.stderr());
            stalled.unlink();
        }
    }

    @Test
    void oneRecordByIndexAndAnIndexOutOfRange() throws Exception {
        try (JvmProcess writing = JvmProcess.start(TickWriter.class, "--name", name, "--records", "2",
                "--ticks", "4", "--interval-ms", "5", "--wait-reader-ms", "60000")) { // three readers start first
            writing.awaitLine(line -> line.startsWith("[writer] created"), Programs.TIMEOUT);

            Ran outside = Programs.run(TickReader.class, "--name", name, "--index", "2");
            assertEquals(Cli.EXIT_FAILURE, outside.code());
            assertEquals(List.of("[reader] error: record index 2 is out of range: '" + name
                    + "' holds 2 records, 0 to 1"), outside.stderr());

            Ran notANumber = Programs.run(TickReader.class, "--name", name, "--index", "one");
            assertEquals(Cli.EXIT_USAGE, notANumber.code());
            assertTrue(notANumber.error().startsWith("[reader] error: --index must be a whole number, not 'one'"),
                    notANumber.error());

            Ran one = Programs.run(TickReader.class, "--name", name, "--index", "1");
            assertEquals(0, one.code(), one.stderr().toString());
            assertTrue(one.stdout().stream().filter(l -> l.startsWith("[reader] record")).allMatch(
                    l -> l.startsWith("[reader] record 1: cu2506 ")), one.stdout().toString());
            assertEquals("[reader] record 1: cu2506 last=3101.00 bid=3100.50x12 ask=3101.50x22 time=09:30:01.000",
                    one.lastLine("[reader] record"), "the last pass comes after the writer's last tick");
            assertEquals(0, Programs.finish(writing).code());
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCWhileWaitingForAReaderRemovesTheTable() throws Exception {
        try (JvmProcess writer = JvmProcess.start(TickWriter.class, "--name", name)) {
            writer.awaitLine(line -> line.startsWith("[writer] waiting up to"), Programs.TIMEOUT);
            Signals.interrupt(writer);
            assertEquals(130, writer.waitFor(Programs.TIMEOUT), "128 + SIGINT");
        }
    }

    @Test
    void writerArgumentsAreChecked() throws Exception {
        Ran ran = Programs.run(TickWriter.class, "--name", name, "--records", "0");
        assertEquals(Cli.EXIT_USAGE, ran.code());
        assertEquals(List.of("[writer] error: --records must be between 1 and 64, not 0 " + Cli.HELP_HINT),
                ran.stderr());

        Ran misplaced = Programs.run(TickWriter.class, "--name", name, "--seconds", "3");
        assertEquals(Cli.EXIT_USAGE, misplaced.code());
        assertEquals(List.of("[writer] error: unknown option '--seconds' " + Cli.HELP_HINT), misplaced.stderr());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // sizes are exact on Linux; macOS and Windows round up to a page
    void aMappingSmallerThanOneSlotIsRefused() throws Exception {
        try (SharedMemory small = SharedMemory.create(name, TickTable.HEADER_SIZE).unlinkOnExit()) {
            Ran ran = Programs.run(TickReader.class, "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[reader] error: open '" + name + "' failed: the object is 32 bytes, smaller than the"
                    + " 128 bytes needed"), ran.stderr());
            small.unlink();
        }
    }

    @Test
    void anObjectThatIsNotATickTableIsRefusedAndNotWrittenTo() throws Exception {
        // The right size, but no tag: another program's object, or a table another program made.
        try (SharedMemory other = SharedMemory.create(name, TickTable.size(2)).unlinkOnExit()) {
            other.setIntRelease(TickTable.RECORDS_OFFSET, 2);
            other.setIntRelease(TickTable.STATE_OFFSET, TickTable.PUBLISHING);
            Ran ran = Programs.run(TickReader.class, "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[reader] error: '" + name + "' is not the tick table of 'TickWriter': it carries no"
                    + " 05-struct-records tag at offset 16; left it alone"), ran.stderr());
            assertEquals(0, other.getIntAcquire(TickTable.READERS_OFFSET), "no reader counted itself in");
            other.unlink();
        }
    }

    @Test
    void aHeaderThatDoesNotFitTheMappingIsRefused() throws Exception {
        try (SharedMemory bogus = SharedMemory.create(name, TickTable.size(1)).unlinkOnExit()) {
            Contract.tag(bogus, Contract.Kind.TABLE);
            bogus.setIntRelease(TickTable.RECORDS_OFFSET, 1000);
            bogus.setIntRelease(TickTable.STATE_OFFSET, TickTable.DONE);
            Ran ran = Programs.run(TickReader.class, "--name", name);
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertTrue(ran.error().startsWith("[reader] error: '" + name + "' is not a market-data table:"
                    + " its header says 1000 records"), ran.error());
            bogus.unlink();
        }
    }
}
