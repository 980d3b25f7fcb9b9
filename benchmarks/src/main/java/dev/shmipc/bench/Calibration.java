package dev.shmipc.bench;

import java.time.Duration;

/**
 * Warm-up that also sizes the measured batch: run batches of doubling size until both the
 * warm-up time is spent and enough operations have run for the JIT to compile the hot paths on
 * both sides (a slow transport can spend its whole warm-up time interpreted otherwise), then
 * take the rate of the last, largest batch to choose a count that fills the measuring time. Fast
 * and slow transports so get about the same time each, rather than the same count.
 */
final class Calibration {
    /** A batch of {@code count} operations; returns the nanoseconds it took. */
    @FunctionalInterface
    interface Batch {
        long run(long count) throws Exception;
    }

    private Calibration() {
    }

    /**
     * Warms {@code batch} up for at least {@code warmup} and {@code minOperations} (but stops
     * at {@code limit} whatever the count), then returns how many operations take about
     * {@code measure}, within [{@code first}, {@code max}].
     */
    static long warmUp(Batch batch, long first, long max, long minOperations, Duration warmup, Duration limit,
            Duration measure) throws Exception {
        long count = first;
        long spent = 0;
        long operations = 0;
        long lastNanos;
        while (true) {
            lastNanos = Math.max(1, batch.run(count));
            spent += lastNanos;
            operations += count;
            boolean warm = spent >= warmup.toNanos() && operations >= minOperations;
            if (warm || spent >= limit.toNanos() || count >= max) {
                break;
            }
            count = Math.min(count * 2, max);
        }
        double perNano = (double) count / lastNanos;
        return Math.max(first, Math.min(max, (long) (perNano * measure.toNanos())));
    }
}
