package dev.shmipc.common;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The end of a wait on {@link System#nanoTime()}'s clock, which wall-clock changes do not move.
 * Named events and mutexes wait in slices of at most {@value #SLICE_MILLIS} ms towards it, so
 * that they notice a thread interrupt or a dead mutex holder while they wait.
 */
final class Deadline {
    static final long SLICE_MILLIS = 100;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);
    /** About 146 years: far enough to mean "never", near enough not to overflow nanoTime. */
    private static final long LONGEST_NANOS = Long.MAX_VALUE / 2;

    private final long end;

    private Deadline(long end) {
        this.end = end;
    }

    /** The deadline {@code timeout} from now; zero means "do not wait". */
    static Deadline after(Duration timeout) {
        requireValid(timeout);
        long nanos = timeout.compareTo(Duration.ofNanos(LONGEST_NANOS)) > 0 ? LONGEST_NANOS : timeout.toNanos();
        return new Deadline(System.nanoTime() + nanos);
    }

    /** {@code timeout}, checked: a wait's timeout cannot be negative. */
    static Duration requireValid(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
        }
        return timeout;
    }

    /** True once the deadline is reached. */
    boolean passed() {
        return end - System.nanoTime() <= 0;
    }

    /** The end of the next slice, in {@link System#nanoTime()} time: the deadline or sooner. */
    long sliceEnd() {
        long now = System.nanoTime();
        return end - now < SLICE_NANOS ? end : now + SLICE_NANOS;
    }

    /** The next slice in whole milliseconds, rounded up so as not to end early; 0 when passed. */
    int sliceMillis() {
        long left = end - System.nanoTime();
        return left <= 0 ? 0 : (int) Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    }

    /** Throws if the waiting thread was interrupted; called between slices. */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
