package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private final Settings settings = Settings.of(List.of(Transport.SHM_EVENT, Transport.UDS),
            List.of(Workload.STREAM_LOCKSTEP), 2, true, false, Path.of("target"));

    /** Two trials of shm-event, uds and two C rows; shm-event is 0.5x then 1.5x C sem-block. */
    private Report report() {
        Results results = new Results();
        double[][] figures = {{10, 5, 20, 40}, {30, 10, 20, 20}};
        for (int trial = 1; trial <= 2; trial++) {
            double[] f = figures[trial - 1];
            results.add(Workload.STREAM_LOCKSTEP, trial, "shm-event", f[0], Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP, trial, "uds", f[1], Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP, trial, "C sem-block", f[2], Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP, trial, "C uds", f[3], Double.NaN);
        }
        MachineInfo machine = new MachineInfo("a CPU", 2, "an OS", "a JDK");
        return new Report(results, new Report.Context(machine, settings, Instant.EPOCH, Duration.ofSeconds(1), "0.00",
                "0.00"));
    }

    @Test
    void everyJavaRowIsReportedAgainstEveryCRowTrialByTrial() {
        List<String> lines = report().consoleLines();
        int head = lines.indexOf("  against the C references (median of the per-trial ratios, min .. max):");
        assertTrue(head > 0, lines::toString);
        assertTrue(lines.get(head + 1).contains("C sem-block") && lines.get(head + 1).contains("C uds"), lines::toString);
        String shmEvent = lines.stream().filter(l -> l.startsWith("  shm-event ") && l.contains("0.50x"))
                .findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
        assertTrue(shmEvent.contains("1.00x (0.50x .. 1.50x)") && shmEvent.contains("0.88x (0.25x .. 1.50x)"), shmEvent);
        assertEquals(1, lines.stream().filter(l -> l.startsWith("  C uds ")).count(),
                "a C row has its line in the table, and none against the other C rows: " + lines);
    }

    @Test
    void theMarkdownHasTheTableAgainstTheCReferences() {
        String markdown = report().markdown("results.svg");
        assertTrue(markdown.contains("| | vs C sem-block | vs C uds |\n"), markdown);
        assertTrue(markdown.contains("| shm-event | 1.00x (0.50x .. 1.50x) | 0.88x (0.25x .. 1.50x) |\n"), markdown);
        assertTrue(markdown.contains("| uds | 0.38x (0.25x .. 0.50x) | 0.31x (0.13x .. 0.50x) |\n"), markdown);
        assertEquals(1, markdown.split("Against the C references", -1).length - 1, "one table: " + markdown);
        assertTrue(markdown.contains("- `C ...`: " + Report.C_ROWS + "\n"), "the C rows are explained: " + markdown);
    }
}
