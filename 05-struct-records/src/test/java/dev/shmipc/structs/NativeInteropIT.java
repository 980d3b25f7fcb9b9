package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.Programs.Ran;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Java and C agree on every byte: gcc compiles {@code src/test/c} into {@code target/c}, one C
 * program prints {@code sizeof}/{@code offsetof}, another writes and reads the records in shared
 * memory against the Java programs. Linux only (the C peer uses POSIX {@code shm_open}, and only
 * Linux is set up with gcc here); skipped, with the reason, when no gcc runs.
 */
@EnabledOnOs(OS.LINUX)
class NativeInteropIT {
    private static Path layout;
    private static Path records;

    private final TestObjects objects = new TestObjects();

    @BeforeAll
    static void compile() throws Exception {
        String skipped = "no working gcc on the PATH (gcc --version failed): skipping the C layout and interop checks";
        boolean present = gccWorks();
        if (!present) {
            System.err.println("[skipped] " + skipped); // on the console, not only in the report
        }
        assumeTrue(present, skipped);
        Path sources = Path.of(System.getProperty("structs.c.sources", "src/test/c"));
        Path build = Files.createDirectories(Path.of(System.getProperty("structs.c.build", "target/c")));
        layout = gcc(sources.resolve("layout.c"), build.resolve("layout"));
        records = gcc(sources.resolve("records.c"), build.resolve("records"));
    }

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void javaLayoutIsWhatGccLaysOut() throws Exception {
        Ran ran = exec(layout);
        assertEquals(0, ran.code(), ran.stderr().toString());
        Map<String, Integer> c = new LinkedHashMap<>();
        for (String line : ran.stdout()) {
            String[] parts = line.split(" ");
            c.put(parts[0], Integer.parseInt(parts[1]));
        }
        MarketData.Struct aligned = new MarketData.Struct();
        Map<String, Integer> java = new LinkedHashMap<>();
        java.put("TMMFData.sizeof", DelphiRecord.SIZE);
        java.put("TMMFData.valwrd", DelphiRecord.VALWRD_OFFSET);
        java.put("TMMFData.valint", DelphiRecord.VALINT_OFFSET);
        java.put("TMMFData.valdbl", DelphiRecord.VALDBL_OFFSET);
        java.put("MarketData.sizeof", MarketData.SIZE);
        java.put("MarketData.InstrumentID", MarketData.INSTRUMENT_ID_OFFSET);
        java.put("MarketData.LastPrice", MarketData.LAST_PRICE_OFFSET);
        java.put("MarketData.BidPrice1", MarketData.BID_PRICE1_OFFSET);
        java.put("MarketData.BidVolume1", MarketData.BID_VOLUME1_OFFSET);
        java.put("MarketData.AskPrice1", MarketData.ASK_PRICE1_OFFSET);
        java.put("MarketData.AskVolume1", MarketData.ASK_VOLUME1_OFFSET);
        java.put("MarketData.UpdateTime", MarketData.UPDATE_TIME_OFFSET);
        java.put("MarketData.UpdateMillisec", MarketData.UPDATE_MILLISEC_OFFSET);
        java.put("TickTableHeader.sizeof", TickTable.HEADER_SIZE);
        java.put("TickTableHeader.records", TickTable.RECORDS_OFFSET);
        java.put("TickTableHeader.state", TickTable.STATE_OFFSET);
        java.put("TickTableHeader.readers", TickTable.READERS_OFFSET);
        java.put("TickTableHeader.kind", Contract.KIND_OFFSET);
        java.put("TickTableHeader.pid", Contract.PID_OFFSET);
        java.put("TickSlot.sizeof", TickTable.SLOT_SIZE);
        java.put("TickSlot.sequence", TickTable.SEQUENCE_OFFSET);
        java.put("TickSlot.record", TickTable.RECORD_OFFSET);
        assertEquals(java, c, "the *_OFFSET constants");

        // And what JNA computes from the aligned Structure's declaration (RecordLayoutTest shows
        // that the packed one reads the bytes at the constants' offsets).
        assertEquals(c.get("MarketData.sizeof"), aligned.size());
        for (String field : List.of("InstrumentID", "LastPrice", "BidPrice1", "BidVolume1", "AskPrice1", "AskVolume1",
                "UpdateTime", "UpdateMillisec")) {
            assertEquals(c.get("MarketData." + field), aligned.offsetOf(field), field);
        }
    }

    @Test
    void cWritesTheDelphiRecordAndJavaReadsIt() throws Exception {
        String name = objects.name("c2j-mmf");
        Ran c = exec(records, "write-mmf", name, "65535", "-42", "-1234.75");
        assertEquals(List.of("[c] wrote valwrd=65535 valint=-42 valdbl=-1234.75"), c.stdout(), c.stderr().toString());
        Ran java = Programs.run(RecordReader.class, "--name", name);
        assertEquals("[reader] flyweight (zero copy):       valwrd=65535 valint=-42 valdbl=-1234.75",
                java.line("[reader] flyweight"));
        assertEquals("[reader] JNA Structure (a copy):      valwrd=65535 valint=-42 valdbl=-1234.75",
                java.line("[reader] JNA"));
        assertTrue(SharedMemory.unlink(name), "the C writer leaves it, as a POSIX object outlives its creator");
    }

    @Test
    void javaWritesTheDelphiRecordAndCReadsIt() throws Exception {
        String name = objects.name("j2c-mmf");
        try (JvmProcess owner = JvmProcess.start(RecordWriter.class, "create", "--name", name, "--hold", "120")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), Programs.TIMEOUT);
            assertEquals(0, Programs.run(RecordWriter.class, "set-valwrd", "513", "--name", name).code());
            assertEquals(0, Programs.run(RecordWriter.class, "set-valint", "-7", "--name", name).code());
            assertEquals(0, Programs.run(RecordWriter.class, "set-valdbl", "0.1", "--name", name).code());
            Ran c = exec(records, "read-mmf", name);
            // %.17g shows every digit of the double: the same bits as Java's 0.1.
            assertEquals(List.of("[c] valwrd=513 valint=-7 valdbl=0.10000000000000001"), c.stdout(),
                    c.stderr().toString());
            owner.terminate();
            owner.waitFor(Programs.TIMEOUT);
        }
    }

    @Test
    void cWritesAMarketRecordAndJavaPrintsTheSame() throws Exception {
        String name = objects.name("c2j-tick");
        Ran c = exec(records, "write-table", name, "4", "2", "IF2503", "3901.5", "3901", "7", "3902", "9",
                "14:59:59", "500");
        assertEquals(0, c.code(), c.stderr().toString());
        Ran java = Programs.run(TickReader.class, "--name", name, "--index", "2");
        assertEquals(0, java.code(), java.stderr().toString());
        String expected = "record 2: IF2503 last=3901.50 bid=3901.00x7 ask=3902.00x9 time=14:59:59.500";
        assertEquals(List.of("[c] " + expected), c.stdout());
        assertEquals("[reader] " + expected, java.line("[reader] record"));
        assertTrue(SharedMemory.unlink(name), "the C writer leaves it");
    }

    @Test
    void javaPublishesTicksAndCPrintsTheLastOfEach() throws Exception {
        String name = objects.name("j2c-tick");
        try (JvmProcess writer = JvmProcess.start(TickWriter.class, "--name", name, "--records", "2",
                "--ticks", "6", "--interval-ms", "5")) {
            writer.awaitLine(line -> line.startsWith("[writer] created"), Programs.TIMEOUT);
            Ran c = exec(records, "read-table", name); // attaches, so the writer starts, then waits for done
            assertEquals(0, Programs.finish(writer).code());
            assertEquals(0, c.code(), c.stderr().toString());
            assertEquals(List.of("[c] attached to '" + name + "'",
                    "[c] record 0: " + Ticks.tick(0, 3).format(),
                    "[c] record 1: cu2506 last=3101.50 bid=3101.00x13 ask=3102.00x23 time=09:30:01.500"), c.stdout());
        }
    }

    private static boolean gccWorks() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path gcc(Path source, Path binary) throws Exception {
        Ran ran = exec(Path.of("gcc"), "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2", "-o", binary.toString(),
                source.toString(), "-lrt");
        assertEquals(0, ran.code(), "gcc " + source + ": " + ran.stdout() + ran.stderr());
        return binary;
    }

    /** Runs a native program to its end (killed after the timeout), its output kept in files. */
    private static Ran exec(Path program, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        File out = File.createTempFile("native", ".out");
        File err = File.createTempFile("native", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
            if (!process.waitFor(Programs.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish within " + Programs.TIMEOUT);
            }
            return new Ran(process.exitValue(), Files.readAllLines(out.toPath()), Files.readAllLines(err.toPath()));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }
}
