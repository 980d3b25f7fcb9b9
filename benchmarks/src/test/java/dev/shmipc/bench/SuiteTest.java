package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteTest {
    private final Settings settings = Settings.of(List.of(Transport.values()), List.of(Workload.values()), 5, true,
            false, Path.of("target"));

    @Test
    void oneCpuSkipsTheSpinningTransportWithANote() {
        Suite suite = new Suite(settings, line -> { });
        List<Transport> runnable = suite.runnableTransports(1);
        assertTrue(!runnable.contains(Transport.SHM_SPIN) && runnable.contains(Transport.UDS), runnable.toString());
        assertEquals(1, suite.results().notes().size());
        assertTrue(suite.results().notes().get(0).startsWith("shm-spin skipped: only 1 CPU"),
                suite.results().notes().get(0));
    }

    @Test
    void twoCpusRunEveryTransport() {
        Suite suite = new Suite(settings, line -> { });
        assertEquals(List.of(Transport.values()), suite.runnableTransports(2));
        assertTrue(suite.results().notes().isEmpty());
    }

    @Test
    void calibrationDoublesUntilTheWarmUpIsSpentThenSizesTheMeasuredBatch() throws Exception {
        List<Long> counts = new ArrayList<>();
        // A fake batch of exactly 1 microsecond per operation.
        long count = Calibration.warmUp(n -> {
            counts.add(n);
            return n * 1_000;
        }, 100, 1_000_000, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5));
        assertEquals(List.of(100L, 200L, 400L, 800L), counts, "100 + 200 + 400 + 800 us pass 1 ms of warm-up");
        assertEquals(5_000, count, "5 ms at 1 us each");
    }
}
