package dev.shmipc.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.shmipc.common.OsFamily;
import java.io.IOException;

/**
 * Pins the calling thread to one CPU, for the one-CPU rows: Linux's {@code sched_setaffinity}
 * with pid 0, which means the calling thread, not the whole process. Each side pins the one
 * thread that sends and receives, so both share one CPU as two single-threaded C processes under
 * {@code taskset} do; the JVMs' compiler and collector threads stay free to run elsewhere, as
 * they would for any program, and after the warm-up they are idle.
 */
final class Affinity {
    /** {@code <sched.h>}; jna-platform declares neither function. */
    interface Sched extends Library {
        Sched INSTANCE = Native.load("c", Sched.class);

        /** {@code int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)}: -1 and errno on failure. */
        int sched_getaffinity(int pid, long cpusetsize, long[] mask);

        int sched_setaffinity(int pid, long cpusetsize, long[] mask);
    }

    /** glibc's {@code cpu_set_t}: 1024 bits. */
    private static final int MASK_LONGS = 1024 / Long.SIZE;

    private Affinity() {
    }

    /** True where a thread can be pinned: Linux. */
    static boolean supported() {
        return OsFamily.current() == OsFamily.LINUX;
    }

    /** The CPUs the calling thread may run on, as a {@code cpu_set_t}. */
    static long[] current() throws IOException {
        long[] mask = new long[MASK_LONGS];
        if (Sched.INSTANCE.sched_getaffinity(0, (long) MASK_LONGS * Long.BYTES, mask) != 0) {
            throw new IOException("sched_getaffinity failed: errno " + Native.getLastError());
        }
        return mask;
    }

    /** The lowest-numbered CPU in {@code mask}, or -1 if it is empty. */
    static int lowest(long[] mask) {
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                return i * Long.SIZE + Long.numberOfTrailingZeros(mask[i]);
            }
        }
        return -1;
    }

    /** Pins the calling thread to {@code cpu}; returns the mask it had, for {@link #restore}. */
    static long[] pin(int cpu) throws IOException {
        if (cpu < 0 || cpu >= MASK_LONGS * Long.SIZE) {
            throw new IllegalArgumentException("CPU " + cpu + " is outside 0 .. " + (MASK_LONGS * Long.SIZE - 1));
        }
        long[] before = current();
        long[] one = new long[MASK_LONGS];
        one[cpu / Long.SIZE] = 1L << (cpu % Long.SIZE);
        set(one, "CPU " + cpu);
        return before;
    }

    /** Gives the calling thread back the CPUs {@link #pin} took from it. */
    static void restore(long[] mask) throws IOException {
        set(mask, "its former CPUs");
    }

    private static void set(long[] mask, String what) throws IOException {
        if (Sched.INSTANCE.sched_setaffinity(0, (long) MASK_LONGS * Long.BYTES, mask) != 0) {
            throw new IOException("cannot pin this thread to " + what + ": sched_setaffinity failed, errno "
                    + Native.getLastError());
        }
    }
}
