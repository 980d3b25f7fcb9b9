package dev.shmipc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What the measuring side and the {@link Responder} say to each other over a {@link Channel}.
 *
 * <p>Each batch starts with a command from the measuring side:
 * <pre>
 * offset  bytes  field
 * 0       4      op: ECHO, LOCKSTEP, SINK or QUIT
 * 4       4      message size in bytes (at least 8)
 * 8       8      message count
 * </pre>
 * <ul>
 *   <li>{@code ECHO}: the responder receives each message and sends it straight back (ping-pong).</li>
 *   <li>{@code LOCKSTEP}: it takes each message with {@link Channel#receiveAcknowledged}.</li>
 *   <li>{@code SINK}: it takes all messages, then sends one {@link Channel#ACK} (pipelined
 *       stream, bulk transfer).</li>
 *   <li>{@code QUIT}: it closes its end and exits.</li>
 * </ul>
 *
 * <p>Message {@code i} of a batch carries {@code i} in its first 8 bytes, which the receiver
 * checks, so a lost, repeated or reordered message is caught in every run. With {@code verify}
 * on, every byte of a message is a function of {@code i} and every byte is checked: the smoke
 * test's mode, too slow for measuring.
 */
final class Protocol {
    static final int COMMAND_SIZE = 16;
    static final int OP_OFFSET = 0;
    static final int SIZE_OFFSET = 4;
    static final int COUNT_OFFSET = 8;

    static final int ECHO = 1;
    static final int LOCKSTEP = 2;
    static final int SINK = 3;
    static final int QUIT = 4;

    /** The smallest message: room for the sequence number. */
    static final int MIN_MESSAGE = Long.BYTES;

    private Protocol() {
    }

    /** Writes a command into {@code command} (16 bytes), ready to send. */
    static ByteBuffer command(ByteBuffer command, int op, int size, long count) {
        command.clear();
        command.putInt(OP_OFFSET, op).putInt(SIZE_OFFSET, size).putLong(COUNT_OFFSET, count);
        return command.limit(COMMAND_SIZE);
    }

    /** Makes {@code message} (its bytes up to its limit) message number {@code sequence}; rewinds it. */
    static void fill(ByteBuffer message, long sequence, boolean verify) {
        message.rewind();
        message.putLong(0, sequence);
        if (verify) {
            for (int i = MIN_MESSAGE; i < message.limit(); i++) {
                message.put(i, patternByte(sequence, i));
            }
        }
    }

    /** Checks that {@code message} (all of it up to its limit) is message number {@code sequence}. */
    static void check(ByteBuffer message, long sequence, boolean verify) throws IOException {
        long got = message.getLong(0);
        if (got != sequence) {
            throw new IOException("message " + sequence + " expected, message " + got + " arrived");
        }
        if (verify) {
            for (int i = MIN_MESSAGE; i < message.limit(); i++) {
                if (message.get(i) != patternByte(sequence, i)) {
                    throw new IOException("message " + sequence + " is corrupt at byte " + i + " of " + message.limit());
                }
            }
        }
    }

    private static byte patternByte(long sequence, int index) {
        return (byte) (sequence * 31 + index * 7);
    }
}
