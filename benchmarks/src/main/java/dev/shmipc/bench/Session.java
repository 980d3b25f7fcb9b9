package dev.shmipc.bench;

import dev.shmipc.common.NativeBinding;
import dev.shmipc.common.program.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The measuring side of one transport: it sets the channel up, starts a {@link Responder} JVM
 * that attaches to it, and runs batches of messages against it. The suite keeps one session per
 * transport for the whole run, so that a warm peer serves every trial.
 *
 * <p>Blocking socket and pipe reads have no time limit, so every batch runs under a watchdog
 * that kills a responder that takes far too long; its end of the stream then closes and the
 * waiting read fails instead of hanging.
 */
final class Session implements AutoCloseable {
    /** How long one batch may take before the watchdog kills the responder. */
    static final Duration BATCH_LIMIT = Duration.ofSeconds(120);

    private final Transport transport;
    private final Process responder;
    private final Channel channel;
    private final boolean verify;
    private final ScheduledExecutorService watchdog;
    private final ByteBuffer command = ByteBuffer.allocateDirect(Protocol.COMMAND_SIZE);
    private final ByteBuffer ack = ByteBuffer.allocateDirect(1);

    private Session(Transport transport, Process responder, Channel channel, boolean verify) {
        this.transport = transport;
        this.responder = responder;
        this.channel = channel;
        this.verify = verify;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watchdog " + transport.id());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Sets up {@code transport}, starts the responder and connects to it.
     *
     * @param name    a unique name for the transport's named objects (shared memory, events)
     * @param verify  check every byte of every message (slow; for tests)
     * @param timeout how long any one wait of this side may take
     * @param cpu     the CPU the responder pins its thread to, or -1 for none (Linux only)
     */
    static Session start(Transport transport, String name, boolean verify, Duration timeout, int cpu)
            throws IOException {
        switch (transport) {
            case SHM_SPIN: {
                SpinChannel channel = SpinChannel.create(name, timeout);
                return startResponder(transport, name, verify, cpu, channel);
            }
            case SHM_EVENT: {
                EventChannel channel = EventChannel.create(name, timeout);
                return startResponder(transport, name, verify, cpu, channel);
            }
            case UDS: {
                Path dir = Files.createTempDirectory("shmipc-bench");
                Path path = dir.resolve("s");
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    server.bind(UnixDomainSocketAddress.of(path));
                    Process process = launch(transport, path.toString(), verify, cpu, false);
                    return connect(transport, server, process, verify, timeout);
                } finally {
                    // Connected sockets live on without the file; remove it at once.
                    Files.deleteIfExists(path);
                    Files.deleteIfExists(dir);
                }
            }
            case TCP: {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                    Process process = launch(transport, Integer.toString(port), verify, cpu, false);
                    return connect(transport, server, process, verify, timeout);
                }
            }
            case PIPE: {
                Process process = launch(transport, "-", verify, cpu, true);
                // The JDK's process streams: a buffered stream that must be flushed per message.
                Channel channel = new ByteStreamChannel(
                        Channels.newChannel(process.getInputStream()),
                        Channels.newChannel(process.getOutputStream()),
                        process.getOutputStream(),
                        process.getOutputStream(), process.getInputStream());
                return new Session(transport, process, channel, verify);
            }
            default:
                throw new IllegalArgumentException("unknown transport " + transport);
        }
    }

    /**
     * Starts the responder of a shared-memory channel and waits for its first answer: nothing
     * else would tell that it attached. Its waits fail at once if the responder exits.
     */
    private static Session startResponder(Transport transport, String name, boolean verify, int cpu, Channel channel)
            throws IOException {
        Process process;
        try {
            process = launch(transport, name, verify, cpu, false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.watchPeer(process::isAlive);
        Session session = new Session(transport, process, channel, verify);
        try {
            session.confirmAttached();
            return session;
        } catch (IOException | RuntimeException e) {
            try {
                session.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Accepts the responder's connection on a socket; on any failure, closes the socket and kills the responder. */
    private static Session connect(Transport transport, ServerSocketChannel server, Process process, boolean verify,
            Duration timeout) throws IOException {
        SocketChannel socket = null;
        try {
            socket = accept(server, process, timeout);
            if (transport == Transport.TCP) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return new Session(transport, process, new ByteStreamChannel(socket, socket, null, socket), verify);
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            }
            process.destroyForcibly();
            throw e;
        }
    }

    /** One echo of the smallest message: the responder has attached and answers. */
    private void confirmAttached() throws IOException {
        ByteBuffer probe = ByteBuffer.allocateDirect(Protocol.MIN_MESSAGE);
        guarded(() -> {
            send(Protocol.ECHO, Protocol.MIN_MESSAGE, 1);
            Protocol.fill(probe, 0, true);
            channel.send(probe);
            probe.clear();
            channel.receive(probe);
            Protocol.check(probe.flip(), 0, true);
            return 0;
        });
    }

    /**
     * Starts the responder JVM, its thread pinned to {@code cpu} unless that is -1; its standard
     * error goes to ours, and its standard output too unless it is the pipe.
     */
    private static Process launch(Transport transport, String address, boolean verify, int cpu, boolean pipe)
            throws IOException {
        // Both sides of a transport on the same native binding: this JVM's choice, if it made one.
        List<String> command = javaCommand(System.getProperty(NativeBinding.PROPERTY), Responder.class);
        command.add(transport.id());
        command.add(address);
        if (verify) {
            command.add("--verify");
        }
        if (cpu >= 0) {
            command.add("--cpu");
            command.add(Integer.toString(cpu));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (!pipe) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        Process process = builder.start();
        if (!pipe) {
            process.getOutputStream().close(); // its standard input: empty, never waited for
        }
        return process;
    }

    /**
     * The command that starts {@code main} in a JVM of this JVM's Java and class path, with
     * {@code -Dshmipc.native=binding} unless {@code binding} is null; its arguments are to be added.
     */
    static List<String> javaCommand(String binding, Class<?> main) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED"); // the native calls, with no warning on JDK 22+
        // The JVM's own warnings go to standard output by default, which is the pipe transport's
        // data channel (and a probe's answers): send them to standard error instead (errors too).
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr");
        // Cli ends the child when this JVM ends, also by kill -9: it cannot be told to quit then.
        command.add("-D" + Cli.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        if (binding != null) {
            command.add("-D" + NativeBinding.PROPERTY + "=" + binding);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        return command;
    }

    private static SocketChannel accept(ServerSocketChannel server, Process process, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (true) {
                SocketChannel socket = server.accept();
                if (socket != null) {
                    socket.configureBlocking(true);
                    return socket;
                }
                if (!process.isAlive()) {
                    throw new IOException("the responder exited with code " + process.exitValue() + " before it connected");
                }
                if (System.nanoTime() - deadline > 0) {
                    process.destroyForcibly();
                    throw new IOException("the responder did not connect within " + timeout.toSeconds() + " s");
                }
                selector.select(100);
            }
        }
    }

    Transport transport() {
        return transport;
    }

    /**
     * Ping-pong: {@code count} round trips of {@code size} bytes, each timed on its own into
     * {@code roundTrips}.
     *
     * @return the nanoseconds the whole batch took
     */
    long pingPong(ByteBuffer message, int size, int count, long[] roundTrips) throws IOException {
        return guarded(() -> {
            send(Protocol.ECHO, size, count);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                message.clear().limit(size);
                Protocol.fill(message, i, verify);
                long t0 = System.nanoTime();
                channel.send(message);
                message.clear().limit(size);
                channel.receive(message);
                roundTrips[i] = System.nanoTime() - t0;
                Protocol.check(message.flip(), i, verify);
            }
            return System.nanoTime() - start;
        });
    }

    /**
     * A stream of {@code count} messages of {@code size} bytes: in lockstep, each acknowledged
     * before the next is sent; or pipelined, all back to back, then one acknowledgement for the lot.
     *
     * @return the nanoseconds the whole batch took
     */
    long stream(ByteBuffer message, int size, long count, boolean lockstep) throws IOException {
        return guarded(() -> {
            send(lockstep ? Protocol.LOCKSTEP : Protocol.SINK, size, count);
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                message.clear().limit(size);
                Protocol.fill(message, i, verify);
                if (lockstep) {
                    channel.sendAcknowledged(message, ack);
                } else {
                    channel.send(message);
                }
            }
            if (!lockstep) {
                ack.clear();
                channel.receive(ack);
                if (ack.get(0) != Channel.ACK) {
                    throw new IOException("expected the end-of-batch acknowledgement, got byte " + ack.get(0));
                }
            }
            return System.nanoTime() - start;
        });
    }

    private void send(int op, int size, long count) throws IOException {
        channel.send(Protocol.command(command, op, size, count));
    }

    private interface Batch {
        long run() throws IOException;
    }

    private long guarded(Batch batch) throws IOException {
        ScheduledFuture<?> kill = watchdog.schedule(responder::destroyForcibly, BATCH_LIMIT.toSeconds(), TimeUnit.SECONDS);
        try {
            return batch.run();
        } catch (IOException e) {
            throw new IOException(transport.id() + ": " + e.getMessage()
                    + (responder.isAlive() ? "" : " (the responder exited with code " + exitCode() + ")"), e);
        } finally {
            kill.cancel(false);
        }
    }

    /** The responder's exit code, waiting briefly for the OS to report it. */
    private String exitCode() {
        try {
            return responder.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(responder.exitValue()) : "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Tells the responder to quit and waits for it.
     *
     * @throws IOException if it does not exit cleanly
     */
    void finish(Duration timeout) throws IOException, InterruptedException {
        send(Protocol.QUIT, Protocol.MIN_MESSAGE, 0);
        if (!responder.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException(transport.id() + ": the responder did not exit within " + timeout.toSeconds() + " s");
        }
        if (responder.exitValue() != 0) {
            throw new IOException(transport.id() + ": the responder exited with code " + responder.exitValue());
        }
    }

    /** Kills the responder if it still runs, closes this end and removes named objects. */
    @Override
    public void close() throws IOException {
        try {
            if (responder.isAlive()) {
                responder.destroyForcibly();
                responder.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watchdog.shutdownNow();
            channel.close();
        }
    }
}
