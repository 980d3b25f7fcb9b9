package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.OsFamily;
import dev.shmipc.common.program.JvmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite end to end in a separate JVM, in its shortest form; figures are not checked. */
class DemoIT {
    private static final Duration LIMIT = Duration.ofMinutes(4);

    @Test
    void aQuickRunPrintsEveryRowAndWritesTheReportAndTheChart(@TempDir Path out) throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--quick", "--trials", "1", "--verify",
                "--out", out.toString())) {
            assertEquals(0, demo.waitFor(LIMIT), () -> "errors: " + demo.stderr());
            List<String> lines = demo.stdout();
            assertTrue(lines.stream().allMatch(l -> l.startsWith("[bench]")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("[bench] cpu: ")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("[bench] trial 1/1 done in ")), lines::toString);
            // The suite skips the spinning transport, with a note, where it sees one CPU only.
            boolean oneCpu = Runtime.getRuntime().availableProcessors() < 2;
            for (Transport transport : Transport.values()) {
                if (transport.spins() && oneCpu) {
                    assertTrue(lines.contains("[bench] note: " + transport.id() + " skipped: only 1 CPU is available, "
                            + "and a spinning reader holds the CPU its peer needs in order to answer"), lines::toString);
                    assertTrue(lines.stream().noneMatch(l -> l.startsWith("[bench]   " + transport.id() + " ")),
                            lines::toString);
                } else {
                    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[bench]   " + transport.id() + " ")),
                            transport.id() + " has a row: " + lines);
                }
            }
            cRowsOrTheirNote(lines);
            // On Linux, the one-CPU workloads have their tables; elsewhere a note says why not.
            boolean linux = OsFamily.current() == OsFamily.LINUX;
            for (Workload workload : List.of(Workload.PING_PONG_1CPU, Workload.STREAM_LOCKSTEP_1CPU)) {
                assertEquals(linux, lines.stream().anyMatch(l -> l.startsWith("[bench] " + workload.id() + ": ")),
                        lines::toString);
            }
            // Every target has its line, measured or not.
            for (Targets.Target target : Targets.check(new Results())) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("[bench]   ") && l.contains(" " + target.claim())),
                        target.claim() + ": " + lines);
            }
        }
        String markdown = Files.readString(out.resolve("results.md"));
        assertTrue(markdown.contains("## ping-pong") && markdown.contains("| uds |") && markdown.contains("## Targets"),
                markdown);
        assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("results.svg").toFile()).getDocumentElement().getTagName());
    }

    /** Where gcc is present (Linux), a row per C program in the lockstep tables; else the note that says why not. */
    private static void cRowsOrTheirNote(List<String> lines) {
        boolean built = OsFamily.current() == OsFamily.LINUX && CReference.onPath("gcc", System.getenv("PATH")).isPresent();
        for (CReference.Mode mode : CReference.Mode.values()) {
            long rows = lines.stream().filter(l -> l.startsWith("[bench]   " + mode.label() + " ")).count();
            assertEquals(built ? 2 : 0, rows, mode.label() + " in stream-lockstep and stream-lockstep-1cpu: " + lines);
        }
        assertEquals(built, lines.contains("[bench]   against the C references (median of the per-trial ratios, "
                + "min .. max):"), lines::toString);
        assertEquals(!built, lines.stream().anyMatch(l -> l.startsWith("[bench] note: " + CReference.SKIPPED)),
                lines::toString);
    }

    @Test
    void aBadArgumentIsOneLineAndExitCode2() throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--transport", "carrier-pigeon")) {
            assertEquals(2, demo.waitFor(Duration.ofSeconds(60)));
            assertEquals(1, demo.stderr().size(), demo.stderr()::toString);
            String unknown = "[bench] error: unknown transport 'carrier-pigeon'";
            assertTrue(demo.stderr().stream().allMatch(l -> l.startsWith(unknown)), demo.stderr()::toString);
        }
    }

    @Test
    void aResponderWithNoChannelToAttachToSaysSoInOneLine() throws Exception {
        try (JvmProcess responder = JvmProcess.start(Responder.class, "shm-spin", "no-such-bench-object")) {
            assertEquals(1, responder.waitFor(Duration.ofSeconds(60)));
            assertEquals(1, responder.stderr().size(), responder.stderr()::toString);
            assertTrue(responder.stderr().stream().allMatch(l -> l.startsWith("[responder] error: ")),
                    responder.stderr()::toString);
        }
    }

    @Test
    void aBadTcpPortIsAUsageErrorInOneLine() throws Exception {
        for (String port : new String[] {"99999", "abc", "0"}) {
            try (JvmProcess responder = JvmProcess.start(Responder.class, "tcp", port)) {
                assertEquals(2, responder.waitFor(Duration.ofSeconds(60)), port);
                assertEquals(java.util.List.of("[responder] error: the tcp address is a port from 1 to 65535, not '"
                        + port + "' (run with --help for usage)"), responder.stderr());
            }
        }
    }
}
