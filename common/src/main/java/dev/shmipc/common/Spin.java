package dev.shmipc.common;

/**
 * How long a waiter spins on the control block before it sleeps on the semaphore, learnt per
 * handle from what its spins found, as HotSpot's adaptive spinning does:
 * <ul>
 *   <li>a spin that took in the second half of its time asks for twice as long next time (up to
 *       {@value #MAX_NANOS} ns); one that took sooner leaves the limit as it is;</li>
 *   <li>a spin that ran out halves the next (down to {@value #MIN_NANOS} ns);</li>
 *   <li>after {@value #PROBE_EVERY} spins in a row that ran out, one spin lasts the longest
 *       time allowed, a probe: a peer that has become quick again is found, and a peer that is
 *       not costs that one spin.</li>
 * </ul>
 * A peer that answers within microseconds is then met without a system call on either side, and
 * a slow or descheduled one costs little spinning before the sleep. The limit is a time, not a
 * count of tries, because a {@link Thread#onSpinWait()} lasts from a few to over a hundred cycles
 * depending on the CPU. It starts at the longest: the first waits find out.
 *
 * <p>With one CPU to run on, a busy spin is useless: the peer cannot run while this thread
 * spins. There the spin yields instead ({@link Thread#yield()}, {@code sched_yield}), which hands
 * the CPU to the peer that the last set or unlock has just made runnable, so that the answer is
 * often there when this thread runs again, without a semaphore call on either side (Agrona's
 * {@code BackoffIdleStrategy} yields the same way before it parks). The CPUs are counted with
 * {@link Runtime#availableProcessors()}, which on Linux asks for the calling thread's affinity
 * ({@code taskset -c 0} gives 1, and so does a thread pinned on its own); it is asked again
 * whenever a wait has slept, where a system call more does not count.
 *
 * <p>The state is a hint, read and written without synchronisation: threads sharing a handle may
 * lose one another's updates, which costs nothing but a slightly different next spin.
 */
final class Spin {
    static final long MIN_NANOS = 1_000;
    static final long MAX_NANOS = 100_000;
    static final int PROBE_EVERY = 64;

    private long limit = MAX_NANOS;
    private int missed;
    private boolean yields;

    Spin() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A spin for a thread that may run on {@code cpus} CPUs. */
    Spin(int cpus) {
        yields = cpus < 2;
    }

    /** How long the next spin may last, in nanoseconds. */
    long limit() {
        return missed > 0 && missed % PROBE_EVERY == 0 ? MAX_NANOS : limit;
    }

    /** True if a spin yields the CPU on every try (one CPU), false if it pauses ({@link Thread#onSpinWait()}). */
    boolean yields() {
        return yields;
    }

    /** The spin took, {@code nanos} after it began, out of the {@code allowed} it had. */
    void took(long nanos, long allowed) {
        missed = 0;
        if (nanos > allowed / 2) {
            limit = Math.min(MAX_NANOS, Math.max(limit, allowed) * 2);
        }
    }

    /** The spin ran out, and the wait slept; the thread may now run on {@code cpus} CPUs. */
    void missed(int cpus) {
        missed++;
        limit = Math.max(MIN_NANOS, limit / 2);
        yields = cpus < 2;
    }
}
