package dev.shmipc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * One end of a two-way byte channel between two processes: what every transport offers the
 * workloads. Both ends know the protocol, so a receiver always asks for exactly the number of
 * bytes the sender sent; there are no length headers.
 *
 * <p>Every blocking call has a time limit: a channel whose peer has gone or hangs fails with an
 * {@link IOException} instead of waiting for ever.
 */
interface Channel extends AutoCloseable {
    /** The one byte an acknowledgement carries. */
    byte ACK = 0x06;

    /** Sends the buffer's remaining bytes; its position ends at its limit. */
    void send(ByteBuffer message) throws IOException;

    /** Fills the buffer's remaining bytes with the next bytes from the peer. */
    void receive(ByteBuffer into) throws IOException;

    /**
     * Sends a message and returns once the peer has taken it: the request/acknowledge lockstep
     * in which at most one message is in flight. By default an explicit one-byte
     * acknowledgement comes back; a transport whose own handshake already says "taken" (module
     * 04's read-finished event, a ring's consumer position) overrides this and its partner
     * {@link #receiveAcknowledged}.
     */
    default void sendAcknowledged(ByteBuffer message, ByteBuffer ackBuffer) throws IOException {
        send(message);
        ackBuffer.clear().limit(1);
        receive(ackBuffer);
        if (ackBuffer.get(0) != ACK) {
            throw new IOException("expected an acknowledgement, got byte " + ackBuffer.get(0));
        }
    }

    /** The receiving side of {@link #sendAcknowledged}. */
    default void receiveAcknowledged(ByteBuffer into, ByteBuffer ackBuffer) throws IOException {
        receive(into);
        ackBuffer.clear().put(ACK).flip();
        send(ackBuffer);
    }

    /**
     * Makes this end's waits fail at once, instead of at their time limit, when {@code alive}
     * turns false: for the shared-memory ends, where a peer that has exited (or never attached)
     * looks no different from a slow one. A socket or pipe end needs none: the peer's exit
     * closes the stream, and the waiting read fails.
     */
    default void watchPeer(BooleanSupplier alive) {
    }

    /** Releases this end's resources. Idempotent; it does not remove named objects. */
    @Override
    void close() throws IOException;
}
