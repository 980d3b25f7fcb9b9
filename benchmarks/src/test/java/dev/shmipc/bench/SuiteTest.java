package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SuiteTest {
    private final Settings settings = Settings.of(List.of(Transport.values()), List.of(Workload.values()), 5, true,
            false, Path.of("target"));

    @Test
    void oneCpuSkipsTheSpinningTransportWithANote() {
        Results results = new Results();
        List<Transport> runnable = Suite.runnable(settings.transports(), 1, results);
        assertTrue(!runnable.contains(Transport.SHM_SPIN) && runnable.contains(Transport.UDS), runnable.toString());
        assertEquals(1, results.notes().size(), results.notes().toString());
        assertTrue(results.notes().stream().allMatch(note -> note.startsWith("shm-spin skipped: only 1 CPU")),
                results.notes().toString());
    }

    @Test
    void twoCpusRunEveryTransport() {
        Results results = new Results();
        assertEquals(List.of(Transport.values()), Suite.runnable(settings.transports(), 2, results));
        assertEquals(List.of(), results.notes());
    }

    @Test
    void whereThreadsCannotBePinnedTheOneCpuWorkloadsAreANote() {
        Results results = new Results();
        assertEquals(Suite.ANY_CPU, Suite.oneCpu(false, results));
        assertEquals(List.of("one-CPU workloads (ping-pong-1cpu, stream-lockstep-1cpu) skipped: pinning a thread to a "
                + "CPU (sched_setaffinity) is done on Linux only"), results.notes());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxTheOneCpuWorkloadsUseACpuThisThreadMayRunOn() throws Exception {
        Results results = new Results();
        int cpu = Suite.oneCpu(true, results);
        assertEquals(List.of(), results.notes());
        long[] before = Affinity.pin(cpu);
        try {
            assertEquals(cpu, Affinity.lowest(Affinity.current()));
        } finally {
            Affinity.restore(before);
        }
        assertArrayEquals(before, Affinity.current(), "the thread has its CPUs back");
    }

    @Test
    void theOneCpuWorkloadsRepeatTheirTwoCpuOperation() {
        assertEquals(Workload.PING_PONG, Workload.PING_PONG_1CPU.operation());
        assertEquals(Workload.STREAM_LOCKSTEP, Workload.STREAM_LOCKSTEP_1CPU.operation());
        assertEquals(Workload.BULK, Workload.BULK.operation());
        assertTrue(Workload.STREAM_LOCKSTEP_1CPU.oneCpu() && !Workload.STREAM_LOCKSTEP.oneCpu());
    }

    @Test
    void calibrationDoublesUntilTheWarmUpIsSpentThenSizesTheMeasuredBatch() throws Exception {
        List<Long> counts = new ArrayList<>();
        long count = Calibration.warmUp(microsecondEach(counts), 100, 1_000_000, 0, ms(1), ms(100), ms(5));
        assertEquals(List.of(100L, 200L, 400L, 800L), counts, "100 + 200 + 400 + 800 us pass 1 ms of warm-up");
        assertEquals(5_000, count, "5 ms at 1 us each");
    }

    @Test
    void calibrationAlsoRunsTheMinimumOperationsUnlessThatTakesTooLong() throws Exception {
        List<Long> counts = new ArrayList<>();
        Calibration.warmUp(microsecondEach(counts), 100, 1_000_000, 3_000, ms(1), ms(100), ms(5));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L), counts, "3,100 operations are at least 3,000");

        counts.clear();
        Calibration.warmUp(microsecondEach(counts), 100, 1_000_000, 1_000_000, ms(1), ms(2), ms(5));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L), counts, "the 2 ms limit ends the warm-up");
    }

    /** A fake batch of exactly 1 microsecond per operation that records its counts. */
    private static Calibration.Batch microsecondEach(List<Long> counts) {
        return n -> {
            counts.add(n);
            return n * 1_000;
        };
    }

    private static java.time.Duration ms(long millis) {
        return java.time.Duration.ofMillis(millis);
    }
}
