package dev.shmipc.bench;

import dev.shmipc.common.NativeBinding;
import dev.shmipc.common.program.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A measuring JVM of one native binding: {@code common} chooses its binding once per JVM
 * ({@code -Dshmipc.native=jna|ffm}), so the suite compares the two by starting one of these per
 * binding ({@link BindingJvm}) and running the same rows in each, every trial.
 *
 * <p>It reads one command per line from standard input, {@code <op> <count>}, runs {@code count}
 * operations of {@code op} ({@link Op#id()}) and writes the nanoseconds they took as one line on
 * standard output; an empty line or the end of input ends it. Errors go to standard error as one
 * {@code [probe]} line, and the JVM exits with 1.
 *
 * <pre>
 * BindingProbe &lt;name&gt; [--timeout-seconds N] [--transports shm-event,shm-spin]
 *   name          a unique prefix for the named objects it makes
 *   --transports  start a responder (of this JVM's binding) per transport, for their stream-lockstep rows
 * </pre>
 */
public final class BindingProbe {
    static final String USAGE = "BindingProbe <name> [--timeout-seconds N] [--transports shm-event,shm-spin]";

    /** What a probe measures: the in-process rows whose cost may depend on the binding, and the shm transports. */
    enum Op {
        BYTE_BUFFER_READ(Workload.INT_READ, InProcess.IntReader.BYTE_BUFFER.label(), null),
        VAR_HANDLE_READ(Workload.INT_READ, InProcess.IntReader.VAR_HANDLE.label(), null),
        EVENT_STEP(Workload.HANDSHAKE_STEP, InProcess.EVENT_STEP, null),
        MUTEX_STEP(Workload.HANDSHAKE_STEP, InProcess.MUTEX_STEP, null),
        POSTING_EVENT_STEP(Workload.SLOW_PATH, InProcess.POSTING_EVENT_STEP, null),
        POSTING_MUTEX_STEP(Workload.SLOW_PATH, InProcess.POSTING_MUTEX_STEP, null),
        SHM_EVENT_LOCKSTEP(Workload.STREAM_LOCKSTEP, Transport.SHM_EVENT.id(), Transport.SHM_EVENT),
        SHM_SPIN_LOCKSTEP(Workload.STREAM_LOCKSTEP, Transport.SHM_SPIN.id(), Transport.SHM_SPIN);

        final Workload workload;
        final String label;
        /** The transport of a stream row, or null for an in-process row. */
        final Transport transport;

        Op(Workload workload, String label, Transport transport) {
            this.workload = workload;
            this.label = label;
            this.transport = transport;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The row's subject in the report: its label and the binding, e.g. {@code shm-event (FFM)}. */
        String subject(NativeBinding binding) {
            return label + " (" + binding + ")";
        }

        static Op of(String id) {
            return Ids.find(List.of(values()), Op::id, id, "probe operation");
        }
    }

    private BindingProbe() {
    }

    public static void main(String[] args) {
        Cli.main("probe", USAGE, Set.of("timeout-seconds", "transports"), Set.of(), args, parsed -> {
            List<String> words = parsed.positional(1);
            if (words.size() != 1) {
                throw new Cli.UsageException("a name is required");
            }
            Duration timeout = Duration.ofSeconds(parsed.intOption("timeout-seconds", 30, 1, 3600));
            String name = words.get(0);
            List<Transport> transports = new ArrayList<>();
            String transport = parsed.option("transports", null);
            if (transport != null) {
                for (String id : transport.split(",")) {
                    transports.add(Transport.of(id));
                }
            }
            try {
                serve(name, transports, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new Cli.Failure("interrupted", e);
            }
            return Cli.EXIT_OK;
        });
    }

    /** Sets up the rows, then answers commands until the input ends. */
    private static void serve(String name, List<Transport> transports, Duration timeout)
            throws IOException, InterruptedException {
        Map<Transport, Session> sessions = new EnumMap<>(Transport.class);
        try (InProcess local = new InProcess(name + "-in")) {
            for (Transport transport : transports) {
                sessions.put(transport, Session.start(transport, name + "-" + transport.id(), false, timeout,
                        Suite.ANY_CPU));
            }
            ByteBuffer message = ByteBuffer.allocateDirect(Workload.STREAM_LOCKSTEP.messageSize());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            PrintStream out = System.out;
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                String[] command = line.split(" ");
                if (command.length != 2) {
                    throw new IllegalArgumentException("a command is '<op> <count>', not '" + line + "'");
                }
                Op op = Op.of(command[0]);
                long count = Long.parseLong(command[1]);
                out.println(run(op, count, local, sessions, message));
                out.flush();
            }
            for (Session session : sessions.values()) {
                session.finish(timeout);
            }
        } finally {
            for (Session session : sessions.values()) {
                session.close();
            }
        }
    }

    private static long run(Op op, long count, InProcess local, Map<Transport, Session> sessions, ByteBuffer message)
            throws IOException, InterruptedException {
        return switch (op) {
            case BYTE_BUFFER_READ -> local.readInts(InProcess.IntReader.BYTE_BUFFER, count);
            case VAR_HANDLE_READ -> local.readInts(InProcess.IntReader.VAR_HANDLE, count);
            case EVENT_STEP -> local.setAndAwait(count);
            case MUTEX_STEP -> local.lockAndUnlock(count);
            case POSTING_EVENT_STEP -> local.setPostingAndAwait(count);
            case POSTING_MUTEX_STEP -> local.lockAndUnlockPosting(count);
            case SHM_EVENT_LOCKSTEP, SHM_SPIN_LOCKSTEP -> {
                Session session = sessions.get(op.transport);
                if (session == null) {
                    throw new IllegalArgumentException(op.id() + ": this probe was started without --transports "
                            + op.transport.id());
                }
                yield session.stream(message, op.workload.messageSize(), count, true);
            }
        };
    }
}
