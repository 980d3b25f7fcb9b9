package dev.shmipc.bench;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.SharedMemory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Transport 2: module 04's handshake (article 004, part 2), once per direction. Each direction
 * has one buffer, an auto-reset event "new data" (initially not set), an auto-reset event "read
 * finished" (initially set) and a mutex around the buffer:
 *
 * <pre>
 * writer: await read-finished, lock, copy into the buffer, unlock, set new-data
 * reader: await new-data,      lock, copy out of it,       unlock, set read-finished
 *
 * shared memory NAME:
 * offset          bytes      meaning
 * 0               4          direction 0: bytes in its buffer (creator -> opener)
 * 64              4          direction 1: bytes in its buffer (opener -> creator)
 * 4096            CAPACITY   direction 0 buffer
 * 4096+CAPACITY   CAPACITY   direction 1 buffer
 *
 * events and mutexes: NAME-nd0, NAME-rf0, NAME-mx0 (direction 0), NAME-nd1, NAME-rf1, NAME-mx1
 * </pre>
 *
 * <p>On Linux and macOS a waiting side first spins on the event's state in shared memory and
 * sleeps on its semaphore ({@code sem_timedwait}) only when the other side is slow (common's
 * protocol 2); on Windows it sleeps in {@code WaitForSingleObject}. So a message costs a wake-up
 * of a sleeping process only when the peer did not answer within the spin. As in the article, the
 * mutex is belt and braces: the events alone already keep writer and reader apart.
 *
 * <p>With one buffer per direction, at most one message is in flight: this transport has a
 * lockstep stream only. A message larger than the buffer goes in buffer-sized pieces.
 */
final class EventChannel implements Channel {
    /** Bytes per direction's buffer: one bulk chunk. */
    static final int CAPACITY = Workload.MAX_MESSAGE;
    static final int LENGTH_SPACING = 64;
    static final int DATA_OFFSET = 4096;
    static final int SIZE = DATA_OFFSET + 2 * CAPACITY;

    private final SharedMemory memory;
    private final ByteBuffer view;
    private final Duration timeout;
    private final NamedObjects objects;

    private final NamedEvent outNewData;
    private final NamedEvent outReadFinished;
    private final NamedMutex outMutex;
    private final int outLengthOffset;
    private final int outDataOffset;
    private final NamedEvent inNewData;
    private final NamedEvent inReadFinished;
    private final NamedMutex inMutex;
    private final int inLengthOffset;
    private final int inDataOffset;

    /** How long a wait sleeps before it checks that the peer is still alive. */
    static final Duration PEER_CHECK = Duration.ofMillis(100);

    private BooleanSupplier peerAlive = () -> true;

    /** True when this side has already taken the "read finished" of its last message. */
    private boolean outFree;

    private EventChannel(SharedMemory memory, NamedEvent[] newData, NamedEvent[] readFinished, NamedMutex[] mutexes,
            NamedObjects objects, Duration timeout) {
        this.memory = memory;
        this.view = memory.buffer();
        this.objects = objects;
        this.timeout = timeout;
        int out = objects.owner ? 0 : 1;
        int in = 1 - out;
        outNewData = newData[out];
        outReadFinished = readFinished[out];
        outMutex = mutexes[out];
        outLengthOffset = out * LENGTH_SPACING;
        outDataOffset = DATA_OFFSET + out * CAPACITY;
        inNewData = newData[in];
        inReadFinished = readFinished[in];
        inMutex = mutexes[in];
        inLengthOffset = in * LENGTH_SPACING;
        inDataOffset = DATA_OFFSET + in * CAPACITY;
    }

    /** Creates the shared memory, events and mutexes (none may exist); {@link #close} removes them. */
    static EventChannel create(String name, Duration timeout) {
        NamedObjects made = new NamedObjects(true);
        try {
            SharedMemory memory = made.add(SharedMemory.create(name, SIZE).unlinkOnExit(), SharedMemory::unlink);
            NamedEvent[] newData = new NamedEvent[2];
            NamedEvent[] readFinished = new NamedEvent[2];
            NamedMutex[] mutexes = new NamedMutex[2];
            for (int d = 0; d < 2; d++) {
                newData[d] = made.add(NamedEvent.create(name + "-nd" + d, false).unlinkOnExit(), NamedEvent::unlink);
                readFinished[d] = made.add(NamedEvent.create(name + "-rf" + d, true).unlinkOnExit(), NamedEvent::unlink);
                mutexes[d] = made.add(NamedMutex.create(name + "-mx" + d, false).unlinkOnExit(), NamedMutex::unlink);
            }
            return new EventChannel(memory, newData, readFinished, mutexes, made, timeout);
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
    }

    /** Opens what a creator made and takes the other end. */
    static EventChannel open(String name, Duration timeout) {
        NamedObjects opened = new NamedObjects(false);
        try {
            SharedMemory memory = opened.add(SharedMemory.open(name, SIZE), null);
            NamedEvent[] newData = new NamedEvent[2];
            NamedEvent[] readFinished = new NamedEvent[2];
            NamedMutex[] mutexes = new NamedMutex[2];
            for (int d = 0; d < 2; d++) {
                newData[d] = opened.add(NamedEvent.open(name + "-nd" + d), null);
                readFinished[d] = opened.add(NamedEvent.open(name + "-rf" + d), null);
                mutexes[d] = opened.add(NamedMutex.open(name + "-mx" + d), null);
            }
            return new EventChannel(memory, newData, readFinished, mutexes, opened, timeout);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            if (!outFree) {
                await(outReadFinished, "the peer to finish reading");
            }
            outFree = false;
            lock(outMutex);
            int n = Math.min(message.remaining(), CAPACITY);
            view.put(outDataOffset, message, message.position(), n);
            memory.setIntRelease(outLengthOffset, n);
            outMutex.unlock();
            message.position(message.position() + n);
            outNewData.set();
        }
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            await(inNewData, "new data from the peer");
            lock(inMutex);
            int n = memory.getIntAcquire(inLengthOffset);
            if (n <= 0 || n > into.remaining()) {
                inMutex.unlock();
                throw new IOException("the peer wrote " + n + " bytes where at most " + into.remaining() + " were expected");
            }
            into.put(into.position(), view, inDataOffset, n);
            inMutex.unlock();
            into.position(into.position() + n);
            inReadFinished.set();
        }
    }

    /** Lockstep is the handshake itself: wait for "read finished" now rather than before the next send. */
    @Override
    public void sendAcknowledged(ByteBuffer message, ByteBuffer ackBuffer) throws IOException {
        send(message);
        await(outReadFinished, "the peer to finish reading");
        outFree = true;
    }

    @Override
    public void watchPeer(BooleanSupplier alive) {
        this.peerAlive = alive;
    }

    /** The reader's "read finished" is the acknowledgement. */
    @Override
    public void receiveAcknowledged(ByteBuffer into, ByteBuffer ackBuffer) throws IOException {
        receive(into);
    }

    /**
     * Waits for {@code event} in slices of {@link #PEER_CHECK}, so that a peer that has exited is
     * noticed within one slice; a set event ends the wait at once whatever the slice.
     */
    private void await(NamedEvent event, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                            + " (" + event.name() + "): is the peer still running?");
                }
                if (event.await(Duration.ofNanos(Math.min(left, PEER_CHECK.toNanos())))) {
                    return;
                }
                if (!peerAlive.getAsBoolean()) {
                    throw new IOException("the peer exited while this side waited for " + what + " (" + event.name() + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + what);
        }
    }

    private void lock(NamedMutex mutex) throws IOException {
        NamedMutex.LockResult result;
        try {
            result = mutex.lock(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + mutex.name());
        }
        if (result == NamedMutex.LockResult.ABANDONED) {
            mutex.unlock();
            throw new IOException("the peer died holding " + mutex.name() + "; the buffer may be half-written");
        }
        if (!result.acquired()) {
            throw new IOException("timed out after " + timeout.toSeconds() + " s waiting for " + mutex.name());
        }
    }

    /** Closes every object; the creator's end also removes every name. Idempotent. */
    @Override
    public void close() {
        objects.close();
    }

    /** The named objects of one end, in the order they were made; the creator's end removes their names too. */
    private static final class NamedObjects {
        private final boolean owner;
        private final List<AutoCloseable> objects = new ArrayList<>();
        private final List<Runnable> unlinks = new ArrayList<>();

        NamedObjects(boolean owner) {
            this.owner = owner;
        }

        <T extends AutoCloseable> T add(T object, Consumer<T> unlink) {
            objects.add(object);
            if (owner) {
                unlinks.add(() -> unlink.accept(object));
            }
            return object;
        }

        void close() {
            for (Runnable unlink : unlinks) {
                try {
                    unlink.run();
                } catch (IpcException e) {
                    System.err.println("[bench] " + e.getMessage());
                }
            }
            unlinks.clear();
            for (AutoCloseable object : objects) {
                try {
                    object.close();
                } catch (Exception e) {
                    System.err.println("[bench] closing " + object + ": " + e.getMessage());
                }
            }
            objects.clear();
        }
    }
}
