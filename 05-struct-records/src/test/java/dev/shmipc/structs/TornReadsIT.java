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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A writer JVM churns the record, a reader JVM copies it. Under the sequence lock no copy may be
 * torn. Without it, copies may tear or not (that depends on the machine and its load), so this
 * test only checks that the count is reported, never that it is above zero.
 */
class TornReadsIT {
    private static final Pattern PLAIN =
            Pattern.compile("\\[reader] plain reads: (\\d+) of 200000 copies torn,"
                    + " while the writer made (\\d+) updates");
    private static final Pattern LOCKED = Pattern.compile("\\[reader] sequence lock: (\\d+) of 200000 copies torn, "
            + "(\\d+) attempts retried \\(the writer was mid-update\\), while the writer made (\\d+) updates");

    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("torn");

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCWhileChurningRemovesTheObject() throws Exception {
        try (JvmProcess churning = JvmProcess.start(TornWriter.class, "--name", name, "--seconds", "120")) {
            churning.awaitLine(line -> line.startsWith("[writer] churning"), Programs.TIMEOUT);
            Signals.interrupt(churning);
            assertEquals(130, churning.waitFor(Programs.TIMEOUT), "128 + SIGINT");
        }
    }

    @Test
    void theReaderWritesNoStopFlagIntoAnObjectThatIsNotTheChurnedRecord() throws Exception {
        try (SharedMemory other = SharedMemory.create(name, GuardedRecord.SIZE).unlinkOnExit()) {
            Ran ran = Programs.run(TornReader.class, "--name", name, "--copies", "1");
            assertEquals(Cli.EXIT_FAILURE, ran.code());
            assertEquals(List.of("[reader] error: '" + name + "' is not the churned record of 'TornWriter':"
                    + " it carries no 05-struct-records tag at offset 16; left it alone"), ran.stderr());
            assertEquals(0, other.getIntAcquire(GuardedRecord.STOP_OFFSET), "no stop flag written");
            other.unlink();
        }
    }

    @Test
    void theSequenceLockKeepsNoTornCopy() throws Exception {
        Ran reader;
        Ran writer;
        try (JvmProcess churning = JvmProcess.start(TornWriter.class, "--name", name, "--seconds", "120")) {
            churning.awaitLine(line -> line.startsWith("[writer] churning"), Programs.TIMEOUT);
            reader = Programs.run(TornReader.class, "--name", name, "--copies", "200000");
            writer = Programs.finish(churning);
        }
        assertEquals(0, reader.code(), reader.stderr().toString());
        assertEquals(0, writer.code(), writer.stderr().toString());

        Matcher plain = PLAIN.matcher(reader.line("[reader] plain reads:"));
        assertTrue(plain.matches(), reader.stdout().toString());
        Matcher locked = LOCKED.matcher(reader.line("[reader] sequence lock:"));
        assertTrue(locked.matches(), reader.stdout().toString());
        assertEquals("0", locked.group(1), "no torn copy under the sequence lock");
        assertTrue(writer.line("[writer] stopped after ")
                .endsWith("updates (the reader is done); removed '" + name + "'"), writer.stdout().toString());
        // The numbers as measured, for whoever reads the test report.
        System.out.println("torn copies: plain " + plain.group(1) + " of 200000 while " + plain.group(2)
                + " updates; locked " + locked.group(1) + " with " + locked.group(2) + " retries while "
                + locked.group(3) + " updates");
    }
}
