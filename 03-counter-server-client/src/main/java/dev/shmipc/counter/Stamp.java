package dev.shmipc.counter;

import dev.shmipc.common.Processes;
import dev.shmipc.common.SharedMemory;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that created an object, as it wrote itself into it: its pid and start time. This is
 * what tells a live server's (or race's) object from one that a killed run left behind, so that
 * nothing ever writes into a stale object.
 *
 * <pre>
 *  offset 16        20        24                  32                  40
 *         +---------+---------+-------------------+-------------------+
 *         | magic   | (0)     | creator's pid     | its start, epoch  |
 *         | int     |         | long              | ms, long (0: ?)   |
 *         +---------+---------+-------------------+-------------------+
 * </pre>
 *
 * The creator writes the pid and the start time first and the magic last, with release; a reader
 * reads the magic with acquire, so a magic it sees always comes with its pid. The article's
 * C++ programs never write past {@code int[1]} (offset 8), so the stamp does not disturb them,
 * and they write none: an object without a stamp is the C++ server's, or one whose server died
 * in the microseconds between creating it and stamping it.
 *
 * @param pid         the creator's process id
 * @param startMillis when it started, as the JDK reports it ({@link ProcessHandle.Info#startInstant()}),
 *                    or 0 where the OS does not say
 */
record Stamp(long pid, long startMillis) {
    static final int MAGIC_OFFSET = 16;
    static final int PID_OFFSET = 24;
    static final int START_OFFSET = 32;

    /** This process. */
    static Stamp self() {
        ProcessHandle me = ProcessHandle.current();
        return new Stamp(me.pid(), startOf(me));
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Writes this stamp into {@code shm} under {@code magic}: pid and start first, the magic last. */
    void writeTo(SharedMemory shm, int magic) {
        shm.setLongRelease(PID_OFFSET, pid);
        shm.setLongRelease(START_OFFSET, startMillis);
        shm.setIntRelease(MAGIC_OFFSET, magic);
    }

    /** The stamp in {@code shm} under {@code magic}, or empty if there is none (yet). */
    static Optional<Stamp> readFrom(SharedMemory shm, int magic) {
        if (shm.size() < START_OFFSET + Long.BYTES || shm.getIntAcquire(MAGIC_OFFSET) != magic) {
            return Optional.empty();
        }
        return Optional.of(new Stamp(shm.getLongAcquire(PID_OFFSET), shm.getLongAcquire(START_OFFSET)));
    }

    /**
     * True if the creator still runs: its pid is alive (the project's rule: a zombie is dead) and,
     * where both start times are known, the process with that pid is the one that started then,
     * not a later one that was given the same pid. The JDK derives a start time from the boot
     * time in wall-clock terms, so a step of the system clock between the creator's start and
     * this check could make a running creator look replaced; slewing (NTP's usual way) does not.
     */
    boolean isRunning() {
        if (!Processes.isAlive(pid)) {
            return false;
        }
        long now = ProcessHandle.of(pid).map(Stamp::startOf).orElse(0L);
        return startMillis == 0 || now == 0 || now == startMillis;
    }
}
