package dev.shmipc.bench;

import dev.shmipc.common.NativeBinding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the suite: one responder JVM per transport for the whole run (and one more per one-CPU
 * transport, pinned), a warm-up of every row that also fixes its batch size, then the trials.
 * Each trial visits every row once (the in-process rows, then the groups of cross-process rows,
 * starting with a different group each trial), so slow drift on a shared machine spreads over all
 * rows instead of favouring whichever ran first; the report then takes the median of each row
 * over the trials. The C reference programs are rows of the same trials, each a fresh run.
 */
final class Suite {
    static final int PING_PONG_MAX = 1 << 20;
    static final long STREAM_MAX = 50_000_000L;
    static final long BULK_MAX = 200_000L;
    /** Operations a message row runs in its warm-up at least: enough for C2 to compile the hot paths. */
    static final long MIN_WARMUP_MESSAGES = 20_000;
    /** How many times its warm-up time a row may spend reaching its minimum operation count. */
    static final int WARMUP_LIMIT_FACTOR = 10;
    /** Before each measured batch, a tenth as many unmeasured operations wake a peer that idled. */
    static final int PRIME_FRACTION = 10;
    /**
     * The transports of the one-CPU workloads: the ones the targets compare. A spinning
     * reader would starve its peer on one CPU, and tcp and pipe would add time, not insight.
     */
    static final List<Transport> ONE_CPU_TRANSPORTS = List.of(Transport.SHM_EVENT, Transport.UDS);
    /** No CPU to pin to. */
    static final int ANY_CPU = -1;

    private final Settings settings;
    private final Consumer<String> log;
    private final String namePrefix = "bench-" + Long.toString(ProcessHandle.current().pid(), 36) + "-";
    private final Results results = new Results();
    private final ByteBuffer message = ByteBuffer.allocateDirect(Workload.MAX_MESSAGE);
    private final long[] roundTrips = new long[PING_PONG_MAX];
    private int names;

    /** Turns a measured batch into the figures a row reports: the value, and a tail or NaN. */
    @FunctionalInterface
    private interface Figure {
        double[] of(long count, long nanos);
    }

    /** Nanoseconds per operation. */
    private static final Figure NANOS_EACH = (count, nanos) -> new double[] {(double) nanos / count, Double.NaN};
    /** Operations per second. */
    private static final Figure PER_SECOND = (count, nanos) -> new double[] {count * 1e9 / nanos, Double.NaN};

    /** Gigabytes per second, which is bytes per nanosecond, for operations of {@code size} bytes. */
    private static Figure gigabytesPerSecond(int size) {
        return (count, nanos) -> new double[] {(double) count * size / nanos, Double.NaN};
    }

    /** One row of the report: a workload and a subject, measured once per trial. */
    private abstract static class Row {
        final Workload workload;
        final String subject;
        /** What the progress line calls the row's figure: its workload, or its subject where a group mixes them. */
        final String label;

        Row(Workload workload, String subject, String label) {
            this.workload = workload;
            this.subject = subject;
            this.label = label;
        }

        /** Brings the row to speed before the trials; nothing by default. */
        void warmUp(Settings settings) throws Exception {
        }

        /** One trial's figures: the value, and its 99th percentile or NaN. */
        abstract double[] measure() throws Exception;
    }

    /** A row of Java code: batches of operations, the measured one sized by the warm-up. */
    private static final class BatchRow extends Row {
        final Calibration.Batch batch;
        final long first;
        final long max;
        final long minWarmup;
        final Figure figure;
        long count;

        BatchRow(Workload workload, String subject, String label, Calibration.Batch batch, long first, long max,
                long minWarmup, Figure figure) {
            super(workload, subject, label);
            this.batch = batch;
            this.first = first;
            this.max = max;
            this.minWarmup = minWarmup;
            this.figure = figure;
        }

        @Override
        void warmUp(Settings settings) throws Exception {
            count = Calibration.warmUp(batch, first, max, minWarmup, settings.warmup(),
                    settings.warmup().multipliedBy(WARMUP_LIMIT_FACTOR), settings.measure());
        }

        @Override
        double[] measure() throws Exception {
            batch.run(Math.max(1, count / PRIME_FRACTION));
            long nanos = Math.max(1, batch.run(count));
            return figure.of(count, nanos);
        }
    }

    /** A C reference row: one run of the C program per trial, which warms up and measures itself. */
    private static final class ReferenceRow extends Row {
        final CReference reference;
        final CReference.Mode mode;
        final Duration measure;
        final int cpu;

        ReferenceRow(Workload workload, CReference reference, CReference.Mode mode, Duration measure, int cpu) {
            super(workload, mode.label(), mode.label());
            this.reference = reference;
            this.mode = mode;
            this.measure = measure;
            this.cpu = cpu;
        }

        @Override
        double[] measure() throws Exception {
            return new double[] {reference.recordsPerSecond(mode, measure, cpu), Double.NaN};
        }
    }

    /**
     * Rows measured one after the other: a transport's, the in-process ones, the C references.
     *
     * @param name the progress lines' name for it
     * @param rows its rows
     * @param pin  the CPU the measuring thread is pinned to while it measures them, or {@link #ANY_CPU}
     */
    private record Group(String name, List<Row> rows, int pin) {
    }

    /** @param log receives one progress line at a time, without the role prefix */
    Suite(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /** The transports of {@code chosen} this machine can run; a note in {@code results} for each one left out. */
    static List<Transport> runnable(List<Transport> chosen, int cpus, Results results) {
        List<Transport> runnable = new ArrayList<>();
        for (Transport t : chosen) {
            if (t.spins() && cpus < 2) {
                results.note(t.id() + " skipped: only " + cpus + " CPU is available, and a spinning reader "
                        + "holds the CPU its peer needs in order to answer");
            } else {
                runnable.add(t);
            }
        }
        return runnable;
    }

    /**
     * The CPU the one-CPU workloads pin both sides to: the lowest this thread may use; or
     * {@link #ANY_CPU}, with a note, where threads cannot be pinned.
     */
    static int oneCpu(boolean supported, Results results) {
        String skipped = "one-CPU workloads (" + Workload.PING_PONG_1CPU.id() + ", " + Workload.STREAM_LOCKSTEP_1CPU.id()
                + ") skipped: ";
        if (!supported) {
            results.note(skipped + "pinning a thread to a CPU (sched_setaffinity) is done on Linux only");
            return ANY_CPU;
        }
        try {
            return Affinity.lowest(Affinity.current());
        } catch (IOException e) {
            results.note(skipped + e.getMessage());
            return ANY_CPU;
        }
    }

    Results run() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Transport> transports = runnable(settings.transports(), cpus, results);
        List<Workload> workloads = settings.workloads();
        boolean inProcess = workloads.stream().anyMatch(w -> !w.crossProcess() || w == Workload.BULK);
        boolean twoCpus = workloads.stream().anyMatch(w -> w.crossProcess() && !w.oneCpu());
        boolean oneCpuWanted = workloads.stream().anyMatch(Workload::oneCpu);
        int cpu = oneCpuWanted ? oneCpu(Affinity.supported(), results) : ANY_CPU;
        boolean lockstepWanted = workloads.contains(Workload.STREAM_LOCKSTEP)
                || cpu != ANY_CPU && workloads.contains(Workload.STREAM_LOCKSTEP_1CPU);
        CReference reference = lockstepWanted
                ? CReference.build(System.getenv("PATH"), results, settings.timeout()).orElse(null) : null;
        List<Session> sessions = new ArrayList<>();
        List<BindingJvm> probes = new ArrayList<>();
        Throwable primary = null;
        try (InProcess local = inProcess ? new InProcess(nextName()) : null) {
            Group localGroup = new Group("in-process", local == null ? List.of() : inProcessRows(local), ANY_CPU);
            List<Group> groups = new ArrayList<>();
            for (Transport transport : twoCpus ? transports : List.<Transport>of()) {
                Session session = Session.start(transport, nextName(), settings.verify(), settings.timeout(), ANY_CPU);
                sessions.add(session);
                groups.add(new Group(transport.id(), sessionRows(session, false), ANY_CPU));
            }
            if (reference != null && workloads.contains(Workload.STREAM_LOCKSTEP)) {
                groups.add(new Group("C reference", referenceRows(reference, Workload.STREAM_LOCKSTEP, ANY_CPU),
                        ANY_CPU));
            }
            if (cpu != ANY_CPU) {
                groups.addAll(oneCpuGroups(transports, cpu, reference, sessions));
            }
            groups.addAll(bindingGroups(twoCpus ? transports : List.of(), probes));
            warmUp(localGroup);
            for (Group group : groups) {
                warmUp(group);
            }
            for (int trial = 1; trial <= settings.trials(); trial++) {
                long start = System.nanoTime();
                measure(localGroup, trial);
                List<Group> order = new ArrayList<>(groups);
                Collections.rotate(order, -(trial - 1));
                for (Group group : order) {
                    measure(group, trial);
                }
                log.accept(String.format(Locale.ROOT, "trial %d/%d done in %.1f s", trial, settings.trials(),
                        (System.nanoTime() - start) / 1e9));
            }
            for (Session session : sessions) {
                session.finish(settings.timeout());
            }
            for (BindingJvm probe : probes) {
                probe.finish(settings.timeout());
            }
        } catch (Exception | Error e) {
            primary = e;
            throw e;
        } finally {
            for (BindingJvm probe : probes) {
                probe.close();
            }
            // A failure to close must not hide the failure that ended the run: it rides along, suppressed.
            IOException failure = null;
            for (Session session : sessions) {
                try {
                    session.close();
                } catch (IOException e) {
                    if (primary != null) {
                        primary.addSuppressed(e);
                    } else if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        return results;
    }

    /**
     * The groups of the one-CPU workloads, on {@code cpu}: a pinned session per transport of
     * {@link #ONE_CPU_TRANSPORTS} (added to {@code sessions} as it starts, to be closed by the
     * caller), and the C rows.
     */
    private List<Group> oneCpuGroups(List<Transport> transports, int cpu, CReference reference, List<Session> sessions)
            throws IOException {
        List<Transport> pinned = transports.stream().filter(ONE_CPU_TRANSPORTS::contains).toList();
        results.note("one-CPU workloads: the measuring thread and the responder's thread both pinned to CPU " + cpu
                + " (sched_setaffinity), the C programs with --cpu " + cpu + "; of the transports only "
                + Ids.join(pinned, Transport::id, " and "));
        List<Group> groups = new ArrayList<>();
        for (Transport transport : pinned) {
            Session session = Session.start(transport, nextName(), settings.verify(), settings.timeout(), cpu);
            sessions.add(session);
            groups.add(new Group(transport.id() + " on CPU " + cpu, sessionRows(session, true), cpu));
        }
        if (reference != null && settings.workloads().contains(Workload.STREAM_LOCKSTEP_1CPU)) {
            groups.add(new Group("C reference on CPU " + cpu,
                    referenceRows(reference, Workload.STREAM_LOCKSTEP_1CPU, cpu), ANY_CPU));
        }
        return groups;
    }

    /**
     * A group per native binding this JVM can start (JNA, and FFM on Java 22+), each measured in
     * a {@link BindingJvm} of its own (added to {@code probes} as it starts, to be closed by the
     * caller): the slow path, the int-read and handshake-step rows, and the lockstep stream of
     * the shared-memory transports among {@code transports}. None if no such workload is chosen.
     */
    private List<Group> bindingGroups(List<Transport> transports, List<BindingJvm> probes) throws IOException {
        List<Workload> workloads = settings.workloads();
        List<BindingProbe.Op> ops = new ArrayList<>();
        List<Transport> streamed = new ArrayList<>();
        for (BindingProbe.Op op : BindingProbe.Op.values()) {
            if (workloads.contains(op.workload) && (op.transport == null || transports.contains(op.transport))) {
                ops.add(op);
                if (op.transport != null) {
                    streamed.add(op.transport);
                }
            }
        }
        List<Group> groups = new ArrayList<>();
        if (ops.isEmpty()) {
            return groups;
        }
        for (NativeBinding binding : BindingJvm.available(results)) {
            BindingJvm probe = BindingJvm.start(binding, nextName(), streamed, settings.timeout());
            probes.add(probe);
            List<Row> rows = new ArrayList<>();
            for (BindingProbe.Op op : ops) {
                rows.add(bindingRow(probe, op));
            }
            groups.add(new Group(binding + " JVM", rows, ANY_CPU));
        }
        return groups;
    }

    /** The row of {@code op} in {@code probe}, sized as the same row of this JVM is. */
    private static Row bindingRow(BindingJvm probe, BindingProbe.Op op) {
        String subject = op.subject(probe.binding());
        Calibration.Batch batch = count -> probe.run(op, count);
        return switch (op.workload) {
            case INT_READ -> new BatchRow(op.workload, subject, op.label, batch, 10_000, Long.MAX_VALUE / 2, 1_000_000,
                    NANOS_EACH);
            case STREAM_LOCKSTEP -> new BatchRow(op.workload, subject, op.label, batch, 100, STREAM_MAX,
                    MIN_WARMUP_MESSAGES, PER_SECOND);
            default -> new BatchRow(op.workload, subject, op.label, batch, 1_000, 10_000_000, MIN_WARMUP_MESSAGES,
                    NANOS_EACH);
        };
    }

    private List<Row> inProcessRows(InProcess local) {
        List<Row> rows = new ArrayList<>();
        if (settings.workloads().contains(Workload.BULK)) {
            int size = Workload.BULK.messageSize();
            rows.add(new BatchRow(Workload.BULK, InProcess.MEMCPY, InProcess.MEMCPY, local::copy, 4, BULK_MAX, 100,
                    gigabytesPerSecond(size)));
        }
        if (settings.workloads().contains(Workload.INT_READ)) {
            for (InProcess.IntReader reader : InProcess.IntReader.values()) {
                rows.add(new BatchRow(Workload.INT_READ, reader.label(), reader.label(),
                        count -> local.readInts(reader, count), 10_000, Long.MAX_VALUE / 2, 1_000_000, NANOS_EACH));
            }
        }
        if (settings.workloads().contains(Workload.HANDSHAKE_STEP)) {
            rows.add(new BatchRow(Workload.HANDSHAKE_STEP, InProcess.EVENT_STEP, InProcess.EVENT_STEP,
                    local::setAndAwait, 1_000, 10_000_000, MIN_WARMUP_MESSAGES, NANOS_EACH));
            rows.add(new BatchRow(Workload.HANDSHAKE_STEP, InProcess.MUTEX_STEP, InProcess.MUTEX_STEP,
                    local::lockAndUnlock, 1_000, 10_000_000, MIN_WARMUP_MESSAGES, NANOS_EACH));
        }
        return rows;
    }

    /** The rows of {@code session}: of the one-CPU workloads if {@code oneCpu}, else of the others. */
    private List<Row> sessionRows(Session session, boolean oneCpu) {
        Transport transport = session.transport();
        List<Row> rows = new ArrayList<>();
        for (Workload workload : settings.workloads()) {
            if (!workload.crossProcess() || workload.oneCpu() != oneCpu) {
                continue;
            }
            int size = workload.messageSize();
            switch (workload.operation()) {
                case PING_PONG -> rows.add(new BatchRow(workload, transport.id(), workload.id(),
                        count -> session.pingPong(message, size, (int) count, roundTrips),
                        100, PING_PONG_MAX, MIN_WARMUP_MESSAGES, (count, nanos) -> new double[] {
                            Results.percentile(roundTrips, (int) count, 50) / 1e3,
                            Results.percentile(roundTrips, (int) count, 99) / 1e3}));
                case STREAM_LOCKSTEP, STREAM_PIPELINED -> {
                    boolean lockstep = workload.operation() == Workload.STREAM_LOCKSTEP;
                    if (lockstep || transport.pipelines()) {
                        rows.add(new BatchRow(workload, transport.id(), workload.id(),
                                count -> session.stream(message, size, count, lockstep), 100, STREAM_MAX,
                                MIN_WARMUP_MESSAGES, PER_SECOND));
                    } else {
                        results.note(transport.id() + " has no pipelined stream: one buffer and a handshake per record"
                                + " allow one record in flight, so it would repeat the lockstep figure");
                    }
                }
                case BULK -> {
                    if (!transport.pipelines()) {
                        results.note(transport.id() + " bulk has one chunk in flight: its one buffer per direction "
                                + "holds one 1 MiB chunk, and the next waits for the reader's handshake; the other "
                                + "transports stream on without waiting for the reader (the spin ring holds four "
                                + "chunks, a socket or pipe as much as its kernel buffer)");
                    }
                    rows.add(new BatchRow(workload, transport.id(), workload.id(),
                            count -> session.stream(message, size, count, false), 4, BULK_MAX, 100,
                            gigabytesPerSecond(size)));
                }
                default -> {
                    // in-process workloads have their own rows
                }
            }
        }
        return rows;
    }

    /** A row per C program, for {@code workload}, both of its processes on {@code cpu} unless it is {@link #ANY_CPU}. */
    private List<Row> referenceRows(CReference reference, Workload workload, int cpu) {
        List<Row> rows = new ArrayList<>();
        for (CReference.Mode mode : CReference.Mode.values()) {
            rows.add(new ReferenceRow(workload, reference, mode, settings.measure(), cpu));
        }
        return rows;
    }

    private void warmUp(Group group) throws Exception {
        if (group.rows().stream().noneMatch(row -> row instanceof BatchRow)) {
            return; // nothing to warm up: a C program warms itself up in every run
        }
        long start = System.nanoTime();
        pinned(group, () -> {
            for (Row row : group.rows()) {
                row.warmUp(settings);
            }
        });
        log.accept(String.format(Locale.ROOT, "warm-up %s done in %.1f s", group.name(),
                (System.nanoTime() - start) / 1e9));
    }

    private void measure(Group group, int trial) throws Exception {
        if (group.rows().isEmpty()) {
            return;
        }
        List<String> figures = new ArrayList<>();
        pinned(group, () -> {
            for (Row row : group.rows()) {
                double[] figure = row.measure();
                results.add(row.workload, trial, row.subject, figure[0], figure[1]);
                figures.add(row.label + " " + Report.number(figure[0]) + " " + row.workload.unit()
                        + (Double.isNaN(figure[1]) ? "" : " (p99 " + Report.number(figure[1]) + ")"));
            }
        });
        log.accept("trial " + trial + " " + group.name() + ": " + String.join(", ", figures));
    }

    /** Work on the rows of a group. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} with this thread pinned to the group's CPU, if it has one, and unpins it after. */
    private static void pinned(Group group, Step step) throws Exception {
        if (group.pin() == ANY_CPU) {
            step.run();
            return;
        }
        long[] before = Affinity.pin(group.pin());
        try {
            step.run();
        } finally {
            Affinity.restore(before);
        }
    }

    private String nextName() {
        return namePrefix + (++names);
    }
}
