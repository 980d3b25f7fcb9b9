package dev.shmipc.counter;

import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;
import java.util.Locale;

/** Three ways to add one to an int in shared memory, from the article's to the correct one. */
enum Increment {
    /** The article's style, {@code p[0] = p[0] + 1}: no atomicity, no visibility, no ordering. */
    PLAIN("getInt, then putInt") {
        @Override
        void repeat(SharedMemory shm, int offset, int times) {
            ByteBuffer memory = shm.buffer();
            for (int i = 0; i < times; i++) {
                memory.putInt(offset, memory.getInt(offset) + 1);
            }
        }
    },
    /** Visible and ordered, but still a read and a separate write: another process can write in between. */
    ORDERED("getIntAcquire, then setIntRelease") {
        @Override
        void repeat(SharedMemory shm, int offset, int times) {
            for (int i = 0; i < times; i++) {
                shm.setIntRelease(offset, shm.getIntAcquire(offset) + 1);
            }
        }
    },
    /** One indivisible read-modify-write ({@code lock xadd} on x86, {@code ldadd} or an LL/SC loop on ARM). */
    ATOMIC("getAndAddInt") {
        @Override
        void repeat(SharedMemory shm, int offset, int times) {
            for (int i = 0; i < times; i++) {
                shm.getAndAddInt(offset, 1);
            }
        }
    };

    private final String how;

    Increment(String how) {
        this.how = how;
    }

    /** Adds one to the int at {@code offset}, {@code times} times. */
    abstract void repeat(SharedMemory shm, int offset, int times);

    /** The name used on the command line: {@code plain}, {@code ordered}, {@code atomic}. */
    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The calls this increment makes, for the report. */
    String how() {
        return how;
    }

    /**
     * The increment named {@code option}.
     *
     * @param allToo whether the caller also accepts {@code all}, for the message
     * @throws IllegalArgumentException (a usage error) if there is none of that name
     */
    static Increment of(String option, boolean allToo) {
        for (Increment increment : values()) {
            if (increment.option().equals(option)) {
                return increment;
            }
        }
        throw new IllegalArgumentException("unknown --mode '" + option + "': use " + (allToo ? "all, " : "")
                + "plain, ordered or atomic");
    }
}
