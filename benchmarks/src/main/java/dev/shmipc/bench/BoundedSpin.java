package dev.shmipc.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait strategy of the spinning transport, for one waiting thread: spin with
 * {@link Thread#onSpinWait()} (the CPU's pause instruction) for a bounded number of checks, then
 * yield the CPU for a while, then park in short sleeps until a deadline. A peer that answers
 * within microseconds is caught while spinning, with no system call and no kernel wake-up; an
 * idle peer costs little CPU after the first millisecond or so; a peer that is gone is reported
 * instead of waited for.
 *
 * <p>Usage: {@link #reset} when a wait starts, then {@link #idle} once per failed check.
 */
final class BoundedSpin {
    /** Pause-instruction checks before yielding: on the order of a millisecond on current CPUs. */
    static final int SPINS = 20_000;
    /** {@link Thread#yield()} checks before parking. */
    static final int YIELDS = 200;
    /** One park; Linux rounds short sleeps up to about 50 microseconds of timer slack anyway. */
    static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final long timeoutNanos;
    private int checks;
    private long deadline;

    BoundedSpin(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Starts a new wait. */
    void reset() {
        checks = 0;
    }

    /**
     * Waits a little before the caller checks its condition again.
     *
     * @param what what the caller waits for, for the error message
     * @throws IOException once the wait has lasted longer than the timeout
     */
    void idle(String what) throws IOException {
        int n = checks++;
        if (n < SPINS) {
            Thread.onSpinWait();
        } else if (n < SPINS + YIELDS) {
            Thread.yield();
        } else {
            long now = System.nanoTime();
            if (n == SPINS + YIELDS) {
                deadline = now + timeoutNanos;
            } else if (now - deadline > 0) {
                throw new IOException("timed out after " + Duration.ofNanos(timeoutNanos).toSeconds()
                        + " s waiting for " + what + ": is the peer still running?");
            }
            LockSupport.parkNanos(PARK_NANOS);
        }
    }
}
