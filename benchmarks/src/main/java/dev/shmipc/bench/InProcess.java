package dev.shmipc.bench;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurements inside one process: the cost of reading an int from a mapping through JNA, a
 * {@code ByteBuffer} and a {@code VarHandle}; a plain memory copy as the physical reference for
 * bulk transfers; and the cost of module 04's calls when there is nobody to wake, which is what
 * its handshake pays per message on top of the kernel's wake-ups; and, for the slow path, the same
 * calls when each set or unlock has to call the OS for a waiter ({@link #setPostingAndAwait}).
 *
 * <p>The int reads walk a 4 KiB mapping int by int, over and over, and add up what they read; the
 * sum is checked, so the JIT cannot drop a read. Each read's offset comes from the loop counter,
 * not from the offset before it, so no read waits for another and the reads can overlap, as when
 * a program reads the fields of a record. The figure is the time per read of such a loop: it
 * includes the loop's own counter, mask and add, so a figure near a nanosecond says the read
 * costs little beyond that floor, not exactly what the API adds; the JNA row, a native call per
 * read, is far above it.
 */
final class InProcess implements AutoCloseable {
    /** The ways to read an int from the mapping, as reported. */
    enum IntReader {
        JNA_POINTER("Pointer.getInt (JNA)"),
        BYTE_BUFFER("ByteBuffer.getInt"),
        VAR_HANDLE("VarHandle.get"),
        VAR_HANDLE_ACQUIRE("VarHandle.getAcquire");

        private final String label;

        IntReader(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** The label of the memory-copy row in the bulk table. */
    static final String MEMCPY = "memcpy (in-process)";
    /** The labels of the handshake-step rows. */
    static final String EVENT_STEP = "NamedEvent set+await";
    static final String MUTEX_STEP = "NamedMutex lock+unlock";
    /** The labels of the slow-path rows: a set or unlock that reaches the OS, with its await or lock. */
    static final String POSTING_EVENT_STEP = "NamedEvent set+await, set posting";
    static final String POSTING_MUTEX_STEP = "NamedMutex lock+unlock, unlock posting";
    /**
     * Where the POSIX control block of an event or mutex keeps its {@code waiters} count: the
     * protocol's layout, specified in {@code common/README.md} for peers in any language.
     */
    static final int WAITERS_OFFSET = 16;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private static final int PAGE = 4096;
    private static final int SLOTS = PAGE / Integer.BYTES;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final SharedMemory mapping;
    private final ByteBuffer buffer;
    private final Pointer pointer;
    /** prefix[k]: the sum of the first k ints of the page, for the check. */
    private final long[] prefix = new long[SLOTS + 1];
    private final ByteBuffer copySource;
    private final ByteBuffer copyTarget;
    private final NamedEvent event;
    private final NamedMutex mutex;
    private final NamedEvent postingEvent;
    private final NamedMutex postingMutex;
    /** The posting event's and mutex's control blocks, seen as a peer sees them (POSIX; none on Windows). */
    private final List<SharedMemory> postingControls = new ArrayList<>();

    /**
     * Creates a 4 KiB mapping named {@code name}, an event {@code name-ev} and a mutex
     * {@code name-mx}, an event {@code name-se} and a mutex {@code name-sm} for the slow path
     * (each name removed at once; the objects stay usable), and the copy buffers.
     */
    InProcess(String name) {
        mapping = SharedMemory.create(name, PAGE);
        mapping.unlink();
        event = NamedEvent.create(name + "-ev", false);
        event.unlink();
        mutex = NamedMutex.create(name + "-mx", false);
        mutex.unlink();
        postingEvent = NamedEvent.create(name + "-se", false);
        try {
            countAWaiter(name + "-se");
        } finally {
            postingEvent.unlink();
        }
        postingMutex = NamedMutex.create(name + "-sm", false);
        try {
            countAWaiter(name + "-sm");
        } finally {
            postingMutex.unlink();
        }
        buffer = mapping.buffer();
        pointer = Native.getDirectBufferPointer(buffer);
        for (int k = 0; k < SLOTS; k++) {
            int value = k * 7 + 1;
            buffer.putInt(k * Integer.BYTES, value);
            prefix[k + 1] = prefix[k] + value;
        }
        copySource = ByteBuffer.allocateDirect(Workload.BULK.messageSize());
        copyTarget = ByteBuffer.allocateDirect(Workload.BULK.messageSize());
        for (int i = 0; i < copySource.capacity(); i++) {
            copySource.put(i, (byte) i);
        }
    }

    /**
     * Counts a waiter into the POSIX control block of the event or mutex {@code name}, as a peer
     * asleep on its semaphore would: from then on every set that changes the state, and every
     * unlock, posts the semaphore. Nothing on Windows, where a set is {@code SetEvent} and an
     * unlock {@code ReleaseMutex} anyway.
     */
    private void countAWaiter(String name) {
        if (OsFamily.current() != OsFamily.WINDOWS) {
            SharedMemory control = SharedMemory.open(name, NamedEvent.POSIX_CONTROL_BLOCK_SIZE);
            postingControls.add(control);
            control.getAndAddInt(WAITERS_OFFSET, 1);
        }
    }

    /** Reads {@code count} ints with {@code reader}; returns the nanoseconds taken. */
    long readInts(IntReader reader, long count) {
        long start = System.nanoTime();
        long sum;
        switch (reader) {
            case JNA_POINTER:
                sum = sumWithPointer(count);
                break;
            case BYTE_BUFFER:
                sum = sumWithBuffer(count);
                break;
            case VAR_HANDLE:
                sum = sumWithVarHandle(count);
                break;
            default:
                sum = sumWithVarHandleAcquire(count);
                break;
        }
        long nanos = System.nanoTime() - start;
        long expected = count / SLOTS * prefix[SLOTS] + prefix[(int) (count % SLOTS)];
        if (sum != expected) {
            throw new IllegalStateException(reader.label() + " read a sum of " + sum + ", expected " + expected);
        }
        return nanos;
    }

    /** The byte offset of the {@code i}-th read: int by int through the page, from the counter alone. */
    private static int offsetOf(long i) {
        return ((int) i << 2) & (PAGE - 1);
    }

    // Four copies of one loop, on purpose: each is compiled on its own with its one read inlined.
    // A shared loop taking the read as a lambda would measure a megamorphic call instead.

    private long sumWithPointer(long count) {
        long sum = 0;
        for (long i = 0; i < count; i++) {
            sum += pointer.getInt(offsetOf(i));
        }
        return sum;
    }

    private long sumWithBuffer(long count) {
        long sum = 0;
        for (long i = 0; i < count; i++) {
            sum += buffer.getInt(offsetOf(i));
        }
        return sum;
    }

    private long sumWithVarHandle(long count) {
        long sum = 0;
        for (long i = 0; i < count; i++) {
            sum += (int) INT.get(buffer, offsetOf(i));
        }
        return sum;
    }

    /** As a reader of another process's flag must: acquire, so later reads see what came before. */
    private long sumWithVarHandleAcquire(long count) {
        long sum = 0;
        for (long i = 0; i < count; i++) {
            sum += (int) INT.getAcquire(buffer, offsetOf(i));
        }
        return sum;
    }

    /** Copies the 1 MiB source into the target {@code count} times; returns the nanoseconds taken. */
    long copy(long count) {
        int size = copySource.capacity();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            copyTarget.put(0, copySource, 0, size);
        }
        long nanos = System.nanoTime() - start;
        if (copyTarget.get(size - 1) != copySource.get(size - 1)) {
            throw new IllegalStateException("the copy lost bytes");
        }
        return nanos;
    }

    /**
     * Sets the event and waits for it {@code count} times: the cost of one handshake signal
     * without any process to wake. Returns the nanoseconds taken.
     */
    long setAndAwait(long count) throws InterruptedException {
        return setAndAwait(event, count);
    }

    /**
     * Sets an event and waits for it {@code count} times, each set reaching the OS, with no
     * thread to wake: the cost of the native call a waker makes for a sleeping waiter. On POSIX
     * the event's control block counts a waiter that never sleeps, so each set makes one
     * {@code sem_post} (which finds no thread to wake, so it stays in user space), and each await
     * takes the set in user space; the semaphore's count grows by one per pair. On Windows each
     * pair is {@code SetEvent} and {@code WaitForSingleObject}. Returns the nanoseconds taken.
     */
    long setPostingAndAwait(long count) throws InterruptedException {
        return setAndAwait(postingEvent, count);
    }

    /** As {@link #setPostingAndAwait}, for a mutex: each unlock makes one {@code sem_post} (Windows: a pair is two calls). */
    long lockAndUnlockPosting(long count) throws InterruptedException {
        return lockAndUnlock(postingMutex, count);
    }

    private static long setAndAwait(NamedEvent event, long count) throws InterruptedException {
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            event.set();
            if (!event.await(STEP_TIMEOUT)) {
                throw new IllegalStateException("a set event did not release its wait");
            }
        }
        return System.nanoTime() - start;
    }

    /** Locks and unlocks the mutex {@code count} times, uncontended. Returns the nanoseconds taken. */
    long lockAndUnlock(long count) throws InterruptedException {
        return lockAndUnlock(mutex, count);
    }

    private static long lockAndUnlock(NamedMutex mutex, long count) throws InterruptedException {
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            if (mutex.lock(STEP_TIMEOUT) != NamedMutex.LockResult.ACQUIRED) {
                throw new IllegalStateException("an unheld mutex could not be locked");
            }
            mutex.unlock();
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        postingControls.forEach(SharedMemory::close);
        postingMutex.close();
        postingEvent.close();
        mutex.close();
        event.close();
        mapping.close();
    }
}
