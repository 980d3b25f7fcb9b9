package dev.shmipc.common;

/**
 * How many times a waiter looks at the control block before it sleeps on the semaphore, learnt
 * per handle from what the last waits found, as HotSpot's adaptive spinning and glibc's
 * adaptive mutexes do: a spin that found the peer lets the next spin twice as long (up to
 * {@value #MAX} tries), one that did not halves it (down to {@value #MIN}). A peer that answers
 * within microseconds is then met without a system call on either side, and a slow or
 * descheduled one costs little spinning before the sleep.
 *
 * <p>With one CPU to run on there is no spin at all: the peer cannot run while this thread
 * spins, so every try would only delay it ({@link Runtime#availableProcessors()} counts the
 * CPUs this process may use, so {@code taskset -c 0} gives 1). The budget is a hint, read and
 * written without synchronisation: threads sharing a handle may lose one another's updates,
 * which costs nothing but a slightly different next spin.
 */
final class Spin {
    static final int MIN = 16;
    static final int MAX = 4096;
    static final int START = 256;
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private int budget;

    Spin() {
        this(CPUS);
    }

    /** A spin for a process that may run on {@code cpus} CPUs. */
    Spin(int cpus) {
        budget = cpus < 2 ? 0 : START;
    }

    /** How many tries the next spin may take; 0 means sleep at once. */
    int budget() {
        return budget;
    }

    /** The spin found what it waited for. */
    void paid() {
        budget = Math.min(MAX, budget * 2); // 0 stays 0: with one CPU, never spin
    }

    /** The spin ran out: the waiter goes to sleep. */
    void wasted() {
        if (budget > 0) {
            budget = Math.max(MIN, budget / 2);
        }
    }
}
