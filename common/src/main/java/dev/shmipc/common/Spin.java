package dev.shmipc.common;

/**
 * How long a waiter spins on the control block before it sleeps on the semaphore, learnt per
 * handle from how long its waits really took, in the spirit of HotSpot's adaptive spinning and
 * glibc's adaptive mutexes:
 * <ul>
 *   <li>a wait that slept but was woken within {@value #MAX_NANOS} ns of its start would have
 *       been met by a longer spin: the next spin may last twice as long, and at least twice
 *       that wait (up to {@value #MAX_NANOS} ns);</li>
 *   <li>a wait that slept longer, or timed out, would not: the next spin is half as long (down
 *       to {@value #MIN_NANOS} ns);</li>
 *   <li>a wait the spin met leaves the limit as it is.</li>
 * </ul>
 * A peer that answers within microseconds is then met without a system call on either side,
 * also when its answer takes longer than the first spin allowed, and a slow or descheduled peer
 * costs little spinning before the sleep. The limit is in time, not in tries, because a
 * {@link Thread#onSpinWait()} lasts from a few to over a hundred cycles depending on the CPU.
 *
 * <p>With one CPU to run on there is no spin at all: the peer cannot run while this thread
 * spins, so every try would only delay it ({@link Runtime#availableProcessors()} counts the
 * CPUs this process may use, so {@code taskset -c 0} gives 1). The limit is a hint, read and
 * written without synchronisation: threads sharing a handle may lose one another's updates,
 * which costs nothing but a slightly different next spin.
 */
final class Spin {
    static final long MIN_NANOS = 1_000;
    static final long MAX_NANOS = 100_000;
    static final long START_NANOS = 10_000;
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private long limit;

    Spin() {
        this(CPUS);
    }

    /** A spin for a process that may run on {@code cpus} CPUs. */
    Spin(int cpus) {
        limit = cpus < 2 ? 0 : START_NANOS;
    }

    /** How long the next spin may last, in nanoseconds; 0 means sleep at once. */
    long limit() {
        return limit;
    }

    /** A wait that spun and then slept ended {@code nanos} after it began; {@code took} if it took. */
    void slept(long nanos, boolean took) {
        if (limit == 0) {
            return; // one CPU: never spin
        }
        limit = took && nanos < MAX_NANOS
                ? Math.min(MAX_NANOS, Math.max(limit * 2, nanos * 2))
                : Math.max(MIN_NANOS, limit / 2);
    }
}
