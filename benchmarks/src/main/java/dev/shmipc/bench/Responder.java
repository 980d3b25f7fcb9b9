package dev.shmipc.bench;

import dev.shmipc.common.program.Cli;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The far side of every cross-process measurement: a separate JVM that attaches to the channel
 * the measuring side ({@link Session}) set up, then answers its commands (see {@link Protocol})
 * until told to quit. It writes nothing to standard output, which is the data channel of the
 * pipe transport; errors go to standard error as one {@code [responder]} line.
 *
 * <p>A responder may sit idle for a while between its batches, while the measuring side measures
 * the other transports, so its waits are long ({@value #DEFAULT_TIMEOUT_SECONDS} s unless told
 * otherwise). It does not outlive the measuring side, though: when the process that started it
 * exits, it exits too, also when that one was killed and could not tell it to quit ({@link Cli}
 * sees to that, told by {@link Session} through {@link Cli#PARENT_PID_PROPERTY}).
 *
 * <pre>
 * Responder &lt;transport&gt; &lt;address&gt; [--verify] [--timeout-seconds N] [--cpu N]
 *   shm-spin, shm-event  address = the shared-memory name (shm-event adds -nd0 ... -mx1 for its events and mutexes)
 *   uds                  address = the socket's path
 *   tcp                  address = the port on 127.0.0.1
 *   pipe                 address = -   (standard input and output)
 *   --cpu N              pin the thread that answers to CPU N (Linux), for the one-CPU rows
 * </pre>
 */
public final class Responder {
    static final String USAGE = "Responder <transport> <address> [--verify] [--timeout-seconds N] [--cpu N]";
    static final int DEFAULT_TIMEOUT_SECONDS = 600;

    private Responder() {
    }

    public static void main(String[] args) {
        Cli.main("responder", USAGE, Set.of("timeout-seconds", "cpu"), Set.of("verify"), args, parsed -> {
            List<String> words = parsed.positional(2);
            if (words.size() != 2) {
                throw new Cli.UsageException("a transport and an address are required");
            }
            Transport transport = Transport.of(words.get(0));
            Duration timeout = Duration.ofSeconds(parsed.intOption("timeout-seconds", DEFAULT_TIMEOUT_SECONDS, 1, 3600));
            int cpu = parsed.intOption("cpu", -1, 0, 1023);
            if (cpu >= 0) {
                pin(cpu);
            }
            try (Channel channel = attach(transport, words.get(1), timeout)) {
                serve(channel, parsed.flag("verify"));
            } catch (IOException e) {
                throw new Cli.Failure(transport.id() + " " + words.get(1) + ": " + e.getMessage());
            }
            return Cli.EXIT_OK;
        });
    }

    /** Pins this thread, the one that answers, to {@code cpu}: the measuring side pins its own to the same. */
    private static void pin(int cpu) {
        if (!Affinity.supported()) {
            throw new Cli.UsageException("--cpu works on Linux only");
        }
        try {
            Affinity.pin(cpu);
        } catch (IOException e) {
            throw new Cli.Failure(e.getMessage());
        }
    }

    /** A TCP port on 127.0.0.1, 1 to 65535. */
    private static int port(String address) {
        try {
            int port = Integer.parseInt(address);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Cli.UsageException("the tcp address is a port from 1 to 65535, not '" + address + "'");
    }

    /** Takes this side's end of the channel the measuring side has set up. */
    static Channel attach(Transport transport, String address, Duration timeout) throws IOException {
        return switch (transport) {
            case SHM_SPIN -> SpinChannel.open(address, timeout);
            case SHM_EVENT -> EventChannel.open(address, timeout);
            case UDS -> {
                SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(address)));
                yield new ByteStreamChannel(socket, socket, null, socket);
            }
            case TCP -> {
                SocketChannel socket = SocketChannel.open(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port(address)));
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                yield new ByteStreamChannel(socket, socket, null, socket);
            }
            case PIPE -> {
                // The raw descriptors, not System.in/System.out: no extra buffering, no text encoding.
                FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
                FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
                yield new ByteStreamChannel(in, out, null, out, in);
            }
        };
    }

    /** Answers commands until {@code QUIT}. */
    static void serve(Channel channel, boolean verify) throws IOException {
        ByteBuffer command = ByteBuffer.allocateDirect(Protocol.COMMAND_SIZE);
        ByteBuffer message = ByteBuffer.allocateDirect(Workload.MAX_MESSAGE);
        ByteBuffer ack = ByteBuffer.allocateDirect(1);
        while (true) {
            command.clear();
            channel.receive(command);
            int op = command.getInt(Protocol.OP_OFFSET);
            if (op == Protocol.QUIT) {
                return;
            }
            int size = command.getInt(Protocol.SIZE_OFFSET);
            long count = command.getLong(Protocol.COUNT_OFFSET);
            if (size < Protocol.MIN_MESSAGE || size > message.capacity() || count < 0) {
                throw new IOException("bad command: op " + op + ", size " + size + ", count " + count);
            }
            switch (op) {
                case Protocol.ECHO:
                    for (long i = 0; i < count; i++) {
                        message.clear().limit(size);
                        channel.receive(message);
                        Protocol.check(message, i, verify);
                        channel.send(message.flip());
                    }
                    break;
                case Protocol.LOCKSTEP:
                    for (long i = 0; i < count; i++) {
                        message.clear().limit(size);
                        channel.receiveAcknowledged(message, ack);
                        Protocol.check(message, i, verify);
                    }
                    break;
                case Protocol.SINK:
                    for (long i = 0; i < count; i++) {
                        message.clear().limit(size);
                        channel.receive(message);
                        Protocol.check(message, i, verify);
                    }
                    ack.clear().put(Channel.ACK).flip();
                    channel.send(ack);
                    break;
                default:
                    throw new IOException("unknown command " + op);
            }
        }
    }
}
