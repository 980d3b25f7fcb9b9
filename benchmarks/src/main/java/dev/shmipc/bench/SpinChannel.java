package dev.shmipc.bench;

import dev.shmipc.common.SharedMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Transport 1: two single-producer, single-consumer byte rings in one shared-memory object, one
 * per direction, and a reader that spins on the writer's position.
 *
 * <pre>
 * offset          bytes      written by          meaning
 * 0               8          ring 0's producer   ring 0 tail: bytes ever written into ring 0
 * 128             8          ring 0's consumer   ring 0 head: bytes ever taken out of ring 0
 * 256             8          ring 1's producer   ring 1 tail
 * 384             8          ring 1's consumer   ring 1 head
 * 4096            CAPACITY   ring 0's producer   ring 0 data: creator -> opener
 * 4096+CAPACITY   CAPACITY   ring 1's producer   ring 1 data: opener -> creator
 *
 * byte n of a ring's stream lives at data[n % CAPACITY]; a ring holds tail - head bytes
 * </pre>
 *
 * <p>The positions are the only synchronisation. A producer copies bytes into the free part of
 * the ring and then publishes the new tail with a release store; a consumer that reads the tail
 * with an acquire load is guaranteed to see those bytes. The consumer publishes its head the same
 * way, which tells the producer that the space is free again. Each position has a 128-byte slot
 * of its own, so that the two processes do not fight over one cache line (or over the pair of
 * lines that adjacent-line prefetching fetches together).
 *
 * <p>A waiting side checks the other's position in a {@link BoundedSpin}: while the peer answers
 * within microseconds, no system call is made at all, which is what makes this transport fast,
 * and also why it needs a CPU for each side.
 */
final class SpinChannel implements Channel {
    /** Bytes per direction: a power of two, room for four 1 MiB bulk chunks in flight. */
    static final int CAPACITY = 4 << 20;
    static final int POSITION_SPACING = 128;
    static final int DATA_OFFSET = 4096;
    /** The size of the shared-memory object. */
    static final int SIZE = DATA_OFFSET + 2 * CAPACITY;

    /**
     * The most bytes copied before the tail is published: the reader starts copying a large
     * message out while the writer still copies it in, and takes each piece from the cache.
     */
    static final int PIECE = 64 << 10;

    private static final int MASK = CAPACITY - 1;

    private final SharedMemory memory;
    private final ByteBuffer view;
    private final boolean owner;
    private final BoundedSpin spin;

    private final int outTailOffset;
    private final int outHeadOffset;
    private final int outDataOffset;
    private final int inTailOffset;
    private final int inHeadOffset;
    private final int inDataOffset;

    /** This side's own positions, and the last value it read of the other side's. */
    private long outTail;
    private long outHeadSeen;
    private long inHead;
    private long inTailSeen;

    private SpinChannel(SharedMemory memory, boolean owner, Duration timeout) {
        this.memory = memory;
        this.view = memory.buffer();
        this.owner = owner;
        this.spin = new BoundedSpin(timeout);
        int out = owner ? 0 : 1;
        int in = 1 - out;
        outTailOffset = 2 * out * POSITION_SPACING;
        outHeadOffset = outTailOffset + POSITION_SPACING;
        outDataOffset = DATA_OFFSET + out * CAPACITY;
        inTailOffset = 2 * in * POSITION_SPACING;
        inHeadOffset = inTailOffset + POSITION_SPACING;
        inDataOffset = DATA_OFFSET + in * CAPACITY;
    }

    /** Creates the object (it must not exist) and takes the creator's end; {@link #close} removes it. */
    static SpinChannel create(String name, Duration timeout) {
        SharedMemory memory = SharedMemory.create(name, SIZE).unlinkOnExit();
        return new SpinChannel(memory, true, timeout);
    }

    /** Opens the object a creator made and takes the other end. */
    static SpinChannel open(String name, Duration timeout) {
        return new SpinChannel(SharedMemory.open(name, SIZE), false, timeout);
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            long free = CAPACITY - (outTail - outHeadSeen);
            if (free == 0) {
                outHeadSeen = awaitAtLeast(outHeadOffset, outTail - CAPACITY + 1, "room in the ring");
                free = CAPACITY - (outTail - outHeadSeen);
            }
            int index = (int) (outTail & MASK);
            int n = (int) Math.min(Math.min(Math.min(message.remaining(), free), CAPACITY - index), PIECE);
            view.put(outDataOffset + index, message, message.position(), n);
            message.position(message.position() + n);
            outTail += n;
            memory.setLongRelease(outTailOffset, outTail);
        }
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            long available = inTailSeen - inHead;
            if (available == 0) {
                inTailSeen = awaitAtLeast(inTailOffset, inHead + 1, "data from the peer");
                available = inTailSeen - inHead;
            }
            int index = (int) (inHead & MASK);
            int n = (int) Math.min(Math.min(into.remaining(), available), CAPACITY - index);
            into.put(into.position(), view, inDataOffset + index, n);
            into.position(into.position() + n);
            inHead += n;
            memory.setLongRelease(inHeadOffset, inHead);
        }
    }

    @Override
    public void watchPeer(BooleanSupplier alive) {
        spin.watchPeer(alive);
    }

    /** Lockstep without an extra message: the consumer's head reaching our tail is the acknowledgement. */
    @Override
    public void sendAcknowledged(ByteBuffer message, ByteBuffer ackBuffer) throws IOException {
        send(message);
        outHeadSeen = awaitAtLeast(outHeadOffset, outTail, "the peer to take the message");
    }

    /** Taking the bytes (publishing the head) is the acknowledgement. */
    @Override
    public void receiveAcknowledged(ByteBuffer into, ByteBuffer ackBuffer) throws IOException {
        receive(into);
    }

    private long awaitAtLeast(int offset, long target, String what) throws IOException {
        long value = memory.getLongAcquire(offset);
        if (value >= target) {
            return value;
        }
        spin.reset();
        while ((value = memory.getLongAcquire(offset)) < target) {
            spin.idle(what);
        }
        return value;
    }

    /** Unmaps the memory; the creator's end also removes the name. */
    @Override
    public void close() {
        if (owner) {
            memory.unlink();
        }
        memory.close();
    }
}
