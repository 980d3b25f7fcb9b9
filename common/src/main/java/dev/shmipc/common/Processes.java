package dev.shmipc.common;

/**
 * The one liveness rule of this project: a process that has ended is dead, also while it waits,
 * as a zombie, for its parent to reap it. {@link ProcessHandle#isAlive()} counts such a process
 * as alive (on Linux it only asks whether the pid exists), so a clean-up that trusted it would
 * wait for a peer that can do nothing any more.
 *
 * <p>Linux reads the state from {@code /proc/<pid>/stat}. Elsewhere the rule falls back on
 * {@link ProcessHandle#isAlive()}: on macOS that still counts a zombie as alive (its process
 * table entry says {@code SZOMB}, which the JDK does not look at), so a clean-up there waits
 * until the zombie is reaped. Windows has no zombies.
 */
public final class Processes {
    private Processes() {
    }

    /** True if process {@code pid} exists and has not ended (a zombie has ended). */
    public static boolean isAlive(long pid) {
        // A holder record with no start stamp: only whether the process still runs is checked.
        return pid > 0 && PosixMutex.Holder.isAlive(pid << 32);
    }
}
