package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Results.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Results.median(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void percentileIsNearestRank() {
        long[] values = new long[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }
        assertEquals(50, Results.percentile(values, 100, 50));
        assertEquals(99, Results.percentile(values, 100, 99));
        assertEquals(100, Results.percentile(values, 100, 100));
        assertEquals(7, Results.percentile(new long[] {7, 0, 0}, 1, 99), "only the first n values count");
    }

    @Test
    void speedupIsAboveOneForTheBetterRowWhateverTheUnit() {
        Results results = new Results();
        results.add(Workload.PING_PONG, "shm-spin", 0.5, Double.NaN);
        results.add(Workload.PING_PONG, "uds", 10.0, Double.NaN);
        results.add(Workload.BULK, "shm-spin", 8.0, Double.NaN);
        results.add(Workload.BULK, "uds", 2.0, Double.NaN);
        assertEquals(20.0, results.speedup(Workload.PING_PONG, "shm-spin", "uds").orElseThrow(), 1e-9);
        assertEquals(4.0, results.speedup(Workload.BULK, "shm-spin", "uds").orElseThrow(), 1e-9);
        assertTrue(results.speedup(Workload.BULK, "tcp", "uds").isEmpty());
    }

    @Test
    void seriesKeepsTheMedianOfEachTrialsTail() {
        Results results = new Results();
        results.add(Workload.PING_PONG, "uds", 10, 30);
        results.add(Workload.PING_PONG, "uds", 12, 50);
        results.add(Workload.PING_PONG, "uds", 11, 40);
        Results.Series uds = results.row(Workload.PING_PONG, "uds").orElseThrow();
        assertEquals(3, uds.trials());
        assertEquals(11, uds.median());
        assertEquals(40, uds.tailMedian());
        assertEquals(10, uds.min());
        assertEquals(12, uds.max());
    }

    @Test
    void targetsAreMetMissedOrNotMeasured() {
        Results results = new Results();
        results.add(Workload.PING_PONG, "shm-spin", 0.5, Double.NaN);
        results.add(Workload.PING_PONG, "uds", 5.0, Double.NaN);
        List<Targets.Target> targets = Targets.check(results);
        assertEquals("missed", targets.get(0).verdict(), "10x is short of 20x");
        assertEquals("not measured", targets.get(1).verdict());
    }
}
