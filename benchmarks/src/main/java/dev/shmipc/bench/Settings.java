package dev.shmipc.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a run measures and for how long; the defaults are the full suite.
 *
 * @param transports the transports, in report order
 * @param workloads  the workloads, in report order
 * @param trials     rounds over all rows; each row gets one figure per round
 * @param quick      short warm-up and measuring times, for development
 * @param verify     check every byte of every message (the smoke test's mode; slows the figures)
 * @param output     where {@code results.md} and {@code results.svg} go
 * @param warmup     warm-up time per row per trial
 * @param measure    measuring time per row per trial
 * @param timeout    the longest any one wait for the peer may take
 */
record Settings(List<Transport> transports, List<Workload> workloads, int trials, boolean quick, boolean verify,
        Path output, Duration warmup, Duration measure, Duration timeout) {
    static final int DEFAULT_TRIALS = 5;
    static final Duration WARMUP = Duration.ofMillis(400);
    static final Duration MEASURE = Duration.ofMillis(500);
    static final Duration QUICK_WARMUP = Duration.ofMillis(80);
    static final Duration QUICK_MEASURE = Duration.ofMillis(100);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    Settings {
        transports = List.copyOf(transports);
        workloads = List.copyOf(workloads);
        if (trials < 1) {
            throw new IllegalArgumentException("at least one trial is needed");
        }
    }

    /** The settings for the given choices, with the warm-up and measuring times {@code quick} implies. */
    static Settings of(List<Transport> transports, List<Workload> workloads, int trials, boolean quick,
            boolean verify, Path output) {
        return new Settings(transports, workloads, trials, quick, verify, output,
                quick ? QUICK_WARMUP : WARMUP, quick ? QUICK_MEASURE : MEASURE, TIMEOUT);
    }
}
