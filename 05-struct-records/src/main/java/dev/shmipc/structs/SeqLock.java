package dev.shmipc.structs;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.SharedMemory;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A sequence lock on one 8-byte aligned word of a mapping, guarding a record next to it: the
 * writer makes the word odd, writes the record, makes it even again; a reader copies the record
 * and keeps the copy only if the word was even and unchanged across the copy. Readers never
 * block the writer and write nothing, so any number of processes can read.
 *
 * <p>The data itself is read and written with plain accesses, so the record may have any layout,
 * even a packed {@code Double} at offset 6 that no atomic access can reach. The ordering comes
 * from the word alone: {@code SharedMemory}'s acquire and release accesses plus two fences, the
 * same recipe as {@link java.util.concurrent.locks.StampedLock#validate} and the Linux kernel's
 * {@code seqlock_t}.
 *
 * <p>One writer per record: two writers would need a compare-and-set on the word. An instance
 * keeps its own counters and is for one thread.
 */
public final class SeqLock {
    private final SharedMemory shm;
    private final int offset;
    private long retries;

    /** The lock word at {@code offset}, which must be a multiple of 8 inside the mapping. */
    public SeqLock(SharedMemory shm, int offset) {
        this.shm = shm;
        this.offset = offset;
        shm.getLongAcquire(offset); // fails now, not later, on a misaligned or outside offset
    }

    /** Runs {@code update} as one write of the record: readers see all of it or none of it. */
    public void write(Runnable update) {
        long sequence = shm.getLongAcquire(offset);
        // Odd on entry means a writer died in the middle of an update: skip to the next odd value.
        long writing = (sequence & 1) == 0 ? sequence + 1 : sequence + 2;
        shm.setLongRelease(offset, writing);
        // Release orders what came before the odd store; the fence keeps the record's stores
        // after it, so no reader can see new data with the old even value.
        VarHandle.storeStoreFence();
        update.run();
        shm.setLongRelease(offset, writing + 1); // the record's stores become visible first
    }

    /**
     * Copies the record with {@code snapshot} until a copy is consistent, and returns it.
     *
     * @param snapshot plain reads of the record into a value; it may see a half-written record
     *                 and must not fail on one (no lookups by a read index, for example)
     * @param timeout  how long the word may stay odd or keep changing: a writer that died in the
     *                 middle of an update leaves it odd for ever
     * @throws IpcException with {@link IpcException.Reason#TIMEOUT} when no consistent copy came in time
     */
    public <T> T read(Supplier<T> snapshot, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long before = shm.getLongAcquire(offset); // the copy's reads cannot move above this
            if ((before & 1) == 0) {
                T value = snapshot.get();
                VarHandle.loadLoadFence(); // ...nor below the second read of the word
                if (shm.getLongAcquire(offset) == before) {
                    return value;
                }
            }
            retries++;
            if (System.nanoTime() - deadline > 0) {
                throw new IpcException("seqlock read", shm.name(), 0, "no consistent copy of the record at offset "
                        + offset + " within " + timeout.toMillis() + " ms; did the writer die in an update?",
                        IpcException.Reason.TIMEOUT);
            }
            Thread.onSpinWait();
        }
    }

    /** The word as it is now: even when no write is in progress; it grows by 2 per write. */
    public long sequence() {
        return shm.getLongAcquire(offset);
    }

    /** How many times {@link #read} started over: the word was odd, or changed during the copy. */
    public long retries() {
        return retries;
    }
}
