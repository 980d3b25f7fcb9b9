package dev.shmipc.bench;

import java.io.EOFException;
import java.io.Flushable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link Channel} over a kernel byte stream: a Unix domain socket, a TCP connection or a pair
 * of pipes. Every send and every receive is at least one system call, and a receiver that finds
 * nothing to read sleeps in the kernel until the sender's write wakes it.
 *
 * <p>The streams are blocking and have no time limit of their own; the side that measures
 * guards each session with a watchdog that kills a hung peer, which ends the stream.
 */
final class ByteStreamChannel implements Channel {
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final Flushable flush;
    private final AutoCloseable[] resources;
    private boolean closed;

    /**
     * @param flush     what pushes buffered bytes to the kernel after each message, or null
     * @param resources closed by {@link #close()}, in this order
     */
    ByteStreamChannel(ReadableByteChannel in, WritableByteChannel out, Flushable flush, AutoCloseable... resources) {
        this.in = in;
        this.out = out;
        this.flush = flush;
        this.resources = resources.clone();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            out.write(message);
        }
        if (flush != null) {
            flush.flush();
        }
    }

    @Override
    public void receive(ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (in.read(into) < 0) {
                throw new EOFException("the peer closed the stream with " + into.remaining() + " bytes still expected");
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof IOException ? (IOException) e : new IOException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
