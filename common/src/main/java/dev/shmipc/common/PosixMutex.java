package dev.shmipc.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link NamedMutex} on Linux and macOS, over the control block's {@code holder} word and
 * {@code waiters} count (see {@link PosixSync}). The holder word is the lock itself: 0 when free,
 * else the holder's {@link Holder record}, so taking the mutex and saying who took it is one
 * compare-and-set, and a waiter can always tell whether the holder still lives.
 *
 * <ul>
 *   <li>{@code lock}: compare-and-set {@code holder} from 0 to this process's record; else spin
 *       ({@link Spin}); else count itself into {@code waiters} and, until the deadline, before
 *       every sleep on the semaphore (slices of at most {@value Deadline#SLICE_MILLIS} ms): try
 *       again, and take over from a dead holder by compare-and-set from its record to this
 *       one's ({@code ABANDONED}: of several waiters exactly one wins).</li>
 *   <li>{@code unlock}: compare-and-set {@code holder} from this process's record to 0; if
 *       {@code waiters} is not 0, post the semaphore. The rule that no wake-up is lost is the
 *       event's (see {@link PosixEvent}).</li>
 * </ul>
 */
final class PosixMutex extends PosixSync implements Sync.Mutex {
    private final Look<NamedMutex.LockResult> look = this::lookOnce;

    PosixMutex(ObjectName name, SharedMemory control, PosixSemaphore semaphore) {
        super(name, control, semaphore);
    }

    @Override
    public NamedMutex.LockResult lock(Duration timeout) throws InterruptedException {
        return await(timeout, NamedMutex.LockResult.ACQUIRED, look, NamedMutex.LockResult.TIMEOUT);
    }

    /** A look in the slow path: take the mutex if it is free, or take it over from a dead holder. */
    private NamedMutex.LockResult lookOnce() {
        // The compare-and-set alone: it reads the latest holder, where a load may not.
        if (control.compareAndSetLong(HOLDER_OFFSET, 0, Holder.SELF)) {
            return NamedMutex.LockResult.ACQUIRED;
        }
        long holder = control.getLongAcquire(HOLDER_OFFSET);
        if (holder != 0 && !Holder.isAlive(holder) && control.compareAndSetLong(HOLDER_OFFSET, holder, Holder.SELF)) {
            return NamedMutex.LockResult.ABANDONED; // of several waiters, exactly one wins this
        }
        return null;
    }

    /** Takes the mutex if it is free: one compare-and-set takes it and records the holder. */
    @Override
    boolean take() {
        return control.getLongAcquire(HOLDER_OFFSET) == 0 && control.compareAndSetLong(HOLDER_OFFSET, 0, Holder.SELF);
    }

    @Override
    public void unlock() {
        if (!control.compareAndSetLong(HOLDER_OFFSET, Holder.SELF, 0)) {
            // Someone took the mutex over as abandoned although this process lives: clearing
            // its record now would let a third party in beside it.
            throw new IllegalStateException("mutex '" + name + "' was taken over by another process");
        }
        if (control.getIntVolatile(WAITERS_OFFSET) > 0) {
            semaphore.post();
        }
    }

    /**
     * Who holds a POSIX mutex, in one word so that a takeover is one compare-and-set: the pid
     * in the high 32 bits, the low 32 bits of a start stamp in the low ones (0 where the OS does
     * not say). A pid fits: Linux pids stay below 2^22, macOS's below 10^5.
     *
     * <p>The stamp must come out the same in every process that computes it. On Linux it is
     * field 22 of {@code /proc/<pid>/stat} ({@code starttime}, clock ticks since boot), which
     * the kernel fixes at fork. Not {@link ProcessHandle.Info#startInstant()}: the JDK derives
     * that from the boot time in {@code /proc/stat}, which each JVM reads once and which moves
     * when the clock is stepped, so two JVMs could disagree about one live process and take it
     * for dead. On macOS the JDK takes the start time from the kernel's own record of the
     * process ({@code sysctl}), so {@code startInstant} (in milliseconds) is used there.
     */
    static final class Holder {
        static final long SELF = of(ProcessHandle.current());

        private Holder() {
        }

        static long of(ProcessHandle process) {
            return process.pid() << 32 | startStamp(process);
        }

        private static long startStamp(ProcessHandle process) {
            if (OsFamily.current() == OsFamily.LINUX) {
                try {
                    return linuxStat(process.pid()).map(stat -> stat.startTicks & 0xFFFF_FFFFL).orElse(0L);
                } catch (NoSuchFileException e) {
                    return 0;
                }
            }
            return process.info().startInstant().map(start -> start.toEpochMilli() & 0xFFFF_FFFFL).orElse(0L);
        }

        /** False if the process is gone, or if its pid now belongs to a process started later. */
        static boolean isAlive(long holder) {
            long pid = holder >>> 32;
            long recorded = holder & 0xFFFF_FFFFL;
            if (OsFamily.current() == OsFamily.LINUX) {
                Optional<LinuxStat> stat;
                try {
                    stat = linuxStat(pid);
                } catch (NoSuchFileException e) {
                    return false; // no such process
                }
                if (stat.isEmpty()) {
                    // Unreadable: alive as far as the JDK knows; a lock times out rather than
                    // taking over from a holder that may live.
                    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                }
                long current = stat.get().startTicks & 0xFFFF_FFFFL;
                return !stat.get().ended() && (recorded == 0 || recorded == current);
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return false;
            }
            long current = startStamp(process.get());
            return recorded == 0 || current == 0 || recorded == current;
        }

        /** The two fields of {@code /proc/<pid>/stat} a holder check needs. */
        static final class LinuxStat {
            final char state;
            final long startTicks;

            LinuxStat(char state, long startTicks) {
                this.state = state;
                this.startTicks = startTicks;
            }

            /** A zombie (ended, not yet reaped by its parent) or dead process holds nothing. */
            boolean ended() {
                return state == 'Z' || state == 'X';
            }

            /**
             * Parses a {@code stat} line: {@code pid (comm) state ppid ...}, where field 3 is the
             * state and field 22 {@code starttime}. comm may hold spaces and parentheses, so the
             * fields are counted from the last {@code ')'}.
             */
            static Optional<LinuxStat> parse(String line) {
                int end = line.lastIndexOf(')');
                if (end < 0) {
                    return Optional.empty();
                }
                String[] fields = line.substring(end + 1).trim().split(" +");
                if (fields.length < 20 || fields[0].length() != 1) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(new LinuxStat(fields[0].charAt(0), Long.parseUnsignedLong(fields[22 - 3])));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }

        /**
         * {@code /proc/<pid>/stat}, parsed; empty if it cannot be read or parsed.
         *
         * @throws NoSuchFileException if there is no such process
         */
        private static Optional<LinuxStat> linuxStat(long pid) throws NoSuchFileException {
            try {
                return LinuxStat.parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
