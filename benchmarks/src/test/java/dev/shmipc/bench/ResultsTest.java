package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        results.add(Workload.PING_PONG, 1, "shm-spin", 0.5, Double.NaN);
        results.add(Workload.PING_PONG, 1, "uds", 10.0, Double.NaN);
        results.add(Workload.BULK, 1, "shm-spin", 8.0, Double.NaN);
        results.add(Workload.BULK, 1, "uds", 2.0, Double.NaN);
        assertEquals(20.0, results.speedup(Workload.PING_PONG, "shm-spin", "uds").orElseThrow(), 1e-9);
        assertEquals(4.0, results.speedup(Workload.BULK, "shm-spin", "uds").orElseThrow(), 1e-9);
        assertTrue(results.speedup(Workload.BULK, "tcp", "uds").isEmpty());
    }

    @Test
    void ratioIsTakenInsideEachTrialNotBetweenMediansOfDifferentTrials() {
        Results results = new Results();
        // uds slows down trial by trial (load rising); shm-spin's best trial is not uds's best.
        double[] uds = {10, 20, 30};
        double[] spin = {1, 4, 1.5};
        for (int trial = 1; trial <= 3; trial++) {
            results.add(Workload.PING_PONG, trial, "uds", uds[trial - 1], Double.NaN);
            results.add(Workload.PING_PONG, trial, "shm-spin", spin[trial - 1], Double.NaN);
        }
        Results.PerTrial ratio = results.ratio(Workload.PING_PONG, "shm-spin", "uds").orElseThrow();
        assertEquals(List.of(10.0, 5.0, 20.0), List.copyOf(ratio.perTrial().values()));
        assertEquals(10.0, ratio.median(), 1e-9, "median of 10x, 5x, 20x; the ratio of medians would be 20/1.5");
        assertEquals(5.0, ratio.min(), 1e-9);
        assertEquals(20.0, ratio.max(), 1e-9);
        assertEquals(10.0, results.speedup(Workload.PING_PONG, "shm-spin", "uds").orElseThrow(), 1e-9);
        assertEquals("missed", Targets.check(results).get(0).verdict(), "10x, not 13.3x, and short of 20x anyway");
    }

    @Test
    void aTargetIsJudgedByTheMedianOfThePerTrialRatios() {
        Results results = new Results();
        double[] uds = {10, 20, 30};
        double[] spin = {0.4, 1.2, 1.4}; // per trial 25x, 16.7x, 21.4x: median 21.4x; medians 20 / 1.2 = 16.7x
        for (int trial = 1; trial <= 3; trial++) {
            results.add(Workload.PING_PONG, trial, "uds", uds[trial - 1], Double.NaN);
            results.add(Workload.PING_PONG, trial, "shm-spin", spin[trial - 1], Double.NaN);
        }
        Targets.Target pingPong = Targets.check(results).get(0);
        assertEquals(30 / 1.4, pingPong.measured().orElseThrow().median(), 1e-9);
        assertEquals("met", pingPong.verdict(), "a ratio of medians would say 16.7x, missed");
    }

    @Test
    void ratioSkipsTrialsInWhichTheReferenceWasNotMeasured() {
        Results results = new Results();
        results.add(Workload.BULK, 1, "shm-spin", 8, Double.NaN);
        results.add(Workload.BULK, 2, "shm-spin", 6, Double.NaN);
        results.add(Workload.BULK, 2, "uds", 2, Double.NaN);
        Results.PerTrial ratio = results.ratio(Workload.BULK, "shm-spin", "uds").orElseThrow();
        assertEquals(java.util.Map.of(2, 3.0), ratio.perTrial());
        assertEquals(List.of(1, 2), results.trialNumbers(Workload.BULK));
    }

    @Test
    void eachTrialHoldsOneFigurePerRow() {
        Results results = new Results();
        results.add(Workload.BULK, 1, "uds", 2, Double.NaN);
        assertThrows(IllegalStateException.class, () -> results.add(Workload.BULK, 1, "uds", 3, Double.NaN));
    }

    @Test
    void seriesKeepsTheMedianOfEachTrialsTail() {
        Results results = new Results();
        results.add(Workload.PING_PONG, 1, "uds", 10, 30);
        results.add(Workload.PING_PONG, 2, "uds", 12, 50);
        results.add(Workload.PING_PONG, 3, "uds", 11, 40);
        Results.Series uds = results.row(Workload.PING_PONG, "uds").orElseThrow();
        assertEquals(List.of(1, 2, 3), uds.trialNumbers());
        assertEquals(11, uds.median());
        assertEquals(40, uds.tailMedian());
        assertEquals(10, uds.min());
        assertEquals(12, uds.max());
    }

    @Test
    void issue11sTargetsJudgeTheStepsFigureAtMostAndTheStreamAgainstTheCRows() {
        Results results = new Results();
        double[] event = {50, 70, 55};   // median 55 ns: met, though one trial was over
        double[] mutex = {61, 80, 59};   // median 61 ns: missed
        double[] shmEvent = {40_000, 60_000, 50_000};
        double[] semSpin = {100_000, 100_000, 80_000}; // per trial 0.4x, 0.6x, 0.625x: median 0.6x
        for (int trial = 1; trial <= 3; trial++) {
            results.add(Workload.HANDSHAKE_STEP, trial, InProcess.EVENT_STEP, event[trial - 1], Double.NaN);
            results.add(Workload.HANDSHAKE_STEP, trial, InProcess.MUTEX_STEP, mutex[trial - 1], Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP, trial, "shm-event", shmEvent[trial - 1], Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP, trial, "C sem-spin", semSpin[trial - 1], Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP_1CPU, trial, "shm-event", 10_000, Double.NaN);
            results.add(Workload.STREAM_LOCKSTEP_1CPU, trial, "C sem-block", 20_000, Double.NaN);
        }
        java.util.Map<String, Targets.Target> byClaim = new java.util.HashMap<>();
        Targets.check(results).forEach(t -> byClaim.put(t.claim(), t));
        Targets.Target eventStep = byClaim.get("NamedEvent set+await at most 60 ns per pair");
        assertEquals("met", eventStep.verdict());
        assertEquals("60.0 ns/pair", eventStep.needs());
        assertEquals("55.0 ns/pair (50.0 .. 70.0)", eventStep.result());
        assertEquals("missed", byClaim.get("NamedMutex lock+unlock at most 60 ns per pair").verdict());
        Targets.Target spin = byClaim.get("shm-event lockstep at least 0.5x C sem-spin (the C spin-then-block)");
        assertEquals(0.6, spin.measured().orElseThrow().median(), 1e-9);
        assertEquals("met", spin.verdict());
        assertEquals("0.60x (0.40x .. 0.63x)", spin.result());
        Targets.Target oneCpu = byClaim.get("on one CPU, shm-event lockstep at least 0.8x C sem-block on that CPU");
        assertEquals("missed", oneCpu.verdict(), "0.5x");
        assertEquals("not measured", byClaim.get("shm-event lockstep at least 15x uds lockstep").verdict());
    }

    @Test
    void targetsAreMetMissedOrNotMeasured() {
        Results results = new Results();
        results.add(Workload.PING_PONG, 1, "shm-spin", 0.5, Double.NaN);
        results.add(Workload.PING_PONG, 1, "uds", 5.0, Double.NaN);
        List<Targets.Target> targets = Targets.check(results);
        assertEquals("missed", targets.get(0).verdict(), "10x is short of 20x");
        assertEquals("not measured", targets.get(1).verdict());
    }
}
