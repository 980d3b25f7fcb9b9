package dev.shmipc.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The wait strategy of the spinning transport, for one waiting thread: spin with
 * {@link Thread#onSpinWait()} (the CPU's pause instruction) for a bounded time, then yield the
 * CPU a few times, then park in sleeps that grow to a millisecond, until a deadline. The spin
 * time adapts, as HotSpot's own spinning locks do: it halves (down to {@value #MIN_SPIN_NANOS} ns)
 * after each wait that spinning did not end, and doubles (up to {@value #MAX_SPIN_NANOS} ns)
 * after each wait it did end.
 *
 * <ul>
 *   <li>A peer that answers within the spin time is caught with no system call and no kernel
 *       wake-up: the fast case this transport exists for.</li>
 *   <li>The spin is bounded by time, not by a count, because a pause instruction lasts from
 *       about 10 to over 100 cycles depending on the CPU.</li>
 *   <li>A peer that takes longer, or that has no CPU because the machine is busy, is not made
 *       to wait behind a spinner that holds a CPU doing nothing; an idle peer costs little.
 *       When both sides share one CPU (other work holds the second), each hand-over would
 *       otherwise cost a whole spin time: the adaptive spin shrinks it to about a
 *       microsecond, and the yield hands the CPU to the peer.</li>
 *   <li>A peer that is gone is reported instead of waited for: at the time limit, or at once
 *       when the owner has said how to tell ({@link #watchPeer}); the check runs only in the
 *       sleeping phase, so it costs the fast path nothing.</li>
 * </ul>
 *
 * <p>Usage: {@link #reset} when a wait starts, then {@link #idle} once per failed check.
 */
final class BoundedSpin {
    /** The longest spin: ample for an answer from a peer that has a CPU of its own. */
    static final long MAX_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The shortest spin. */
    static final long MIN_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    /** Pause instructions between two looks at the clock. */
    static final int SPINS_PER_CLOCK_READ = 8;
    /** {@link Thread#yield()} calls after spinning, before parking. */
    static final int YIELDS = 10;
    /** The first park; Linux rounds short sleeps up to about 50 microseconds of timer slack anyway. */
    static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The longest park: how late an idle side notices new data at worst. */
    static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int SPIN = 0;
    private static final int YIELD = 1;
    private static final int PARK = 2;

    private final long timeoutNanos;
    private BooleanSupplier peerAlive = () -> true;
    private int phase = SPIN;
    private long spinNanos = MAX_SPIN_NANOS;
    private int spins;
    private int yields;
    private long spinEnd;
    private long park;
    private long deadline;

    BoundedSpin(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** From now on a wait that has reached its sleeps fails at once when {@code alive} turns false. */
    void watchPeer(BooleanSupplier alive) {
        this.peerAlive = alive;
    }

    /** Starts a new wait. */
    void reset() {
        if (phase == SPIN) {
            spinNanos = Math.min(spinNanos * 2, MAX_SPIN_NANOS); // spinning ended the last wait
        }
        phase = SPIN;
        spins = 0;
        yields = 0;
        spinEnd = System.nanoTime() + spinNanos;
    }

    /**
     * Waits a little before the caller checks its condition again.
     *
     * @param what what the caller waits for, for the error message
     * @throws IOException once the wait has lasted longer than the timeout
     */
    void idle(String what) throws IOException {
        switch (phase) {
            case SPIN:
                Thread.onSpinWait();
                if (++spins % SPINS_PER_CLOCK_READ == 0 && System.nanoTime() - spinEnd >= 0) {
                    phase = YIELD;
                    spinNanos = Math.max(spinNanos / 2, MIN_SPIN_NANOS);
                }
                return;
            case YIELD:
                Thread.yield();
                if (++yields == YIELDS) {
                    phase = PARK;
                    park = MIN_PARK_NANOS / 2;
                    deadline = System.nanoTime() + timeoutNanos;
                }
                return;
            default:
                if (!peerAlive.getAsBoolean()) {
                    throw new IOException("the peer exited while this side waited for " + what);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("timed out after " + Duration.ofNanos(timeoutNanos).toSeconds()
                            + " s waiting for " + what + ": is the peer still running?");
                }
                park = Math.min(park * 2, MAX_PARK_NANOS);
                LockSupport.parkNanos(park);
        }
    }
}
