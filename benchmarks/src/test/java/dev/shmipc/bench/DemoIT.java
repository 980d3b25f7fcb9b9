package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        }
        String markdown = Files.readString(out.resolve("results.md"));
        assertTrue(markdown.contains("## ping-pong") && markdown.contains("| uds |") && markdown.contains("## Targets"),
                markdown);
        assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("results.svg").toFile()).getDocumentElement().getTagName());
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
