package dev.shmipc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the suite: one responder JVM per transport for the whole run, a warm-up of every row
 * that also fixes its batch size, then the trials. Each trial visits every row once (the
 * in-process rows, then the transports, starting with a different transport each trial), so
 * slow drift on a shared machine spreads over all rows instead of favouring whichever ran first;
 * the report then takes the median of each row over the trials.
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

    /** One row of the report: what runs, how big its batches are, how its figure is computed. */
    private static final class Row {
        final Workload workload;
        final String subject;
        final Calibration.Batch batch;
        final long first;
        final long max;
        final long minWarmup;
        final Figure figure;
        long count;

        Row(Workload workload, String subject, Calibration.Batch batch, long first, long max, long minWarmup,
                Figure figure) {
            this.workload = workload;
            this.subject = subject;
            this.batch = batch;
            this.first = first;
            this.max = max;
            this.minWarmup = minWarmup;
            this.figure = figure;
        }
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

    Results run() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Transport> transports = runnable(settings.transports(), cpus, results);
        List<Session> sessions = new ArrayList<>();
        boolean inProcess = settings.workloads().stream().anyMatch(w -> !w.crossProcess() || w == Workload.BULK);
        boolean crossProcess = settings.workloads().stream().anyMatch(Workload::crossProcess);
        Throwable primary = null;
        try (InProcess local = inProcess ? new InProcess(nextName()) : null) {
            List<Row> localRows = local == null ? List.of() : inProcessRows(local);
            List<List<Row>> transportRows = new ArrayList<>();
            if (crossProcess) {
                for (Transport transport : transports) {
                    Session session = Session.start(transport, nextName(), settings.verify(), settings.timeout());
                    sessions.add(session);
                    transportRows.add(sessionRows(session));
                }
            }
            warmUp(localRows, "in-process");
            for (int i = 0; i < transportRows.size(); i++) {
                warmUp(transportRows.get(i), sessions.get(i).transport().id());
            }
            for (int trial = 1; trial <= settings.trials(); trial++) {
                long start = System.nanoTime();
                measure(localRows, trial, "in-process");
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < transportRows.size(); i++) {
                    order.add(i);
                }
                Collections.rotate(order, -(trial - 1));
                for (int i : order) {
                    measure(transportRows.get(i), trial, sessions.get(i).transport().id());
                }
                log.accept(String.format(Locale.ROOT, "trial %d/%d done in %.1f s", trial, settings.trials(),
                        (System.nanoTime() - start) / 1e9));
            }
            for (Session session : sessions) {
                session.finish(settings.timeout());
            }
        } catch (Exception | Error e) {
            primary = e;
            throw e;
        } finally {
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

    private List<Row> inProcessRows(InProcess local) {
        List<Row> rows = new ArrayList<>();
        if (settings.workloads().contains(Workload.BULK)) {
            int size = Workload.BULK.messageSize();
            rows.add(new Row(Workload.BULK, InProcess.MEMCPY, local::copy, 4, BULK_MAX, 100, gigabytesPerSecond(size)));
        }
        if (settings.workloads().contains(Workload.INT_READ)) {
            for (InProcess.IntReader reader : InProcess.IntReader.values()) {
                rows.add(new Row(Workload.INT_READ, reader.label(), count -> local.readInts(reader, count),
                        10_000, Long.MAX_VALUE / 2, 1_000_000, NANOS_EACH));
            }
        }
        if (settings.workloads().contains(Workload.HANDSHAKE_STEP)) {
            rows.add(new Row(Workload.HANDSHAKE_STEP, InProcess.EVENT_STEP, local::setAndAwait, 1_000, 10_000_000,
                    MIN_WARMUP_MESSAGES, NANOS_EACH));
            rows.add(new Row(Workload.HANDSHAKE_STEP, InProcess.MUTEX_STEP, local::lockAndUnlock, 1_000, 10_000_000,
                    MIN_WARMUP_MESSAGES, NANOS_EACH));
        }
        return rows;
    }

    private List<Row> sessionRows(Session session) {
        Transport transport = session.transport();
        List<Row> rows = new ArrayList<>();
        for (Workload workload : settings.workloads()) {
            int size = workload.messageSize();
            switch (workload) {
                case PING_PONG -> rows.add(new Row(workload, transport.id(),
                        count -> session.pingPong(message, size, (int) count, roundTrips),
                        100, PING_PONG_MAX, MIN_WARMUP_MESSAGES, (count, nanos) -> new double[] {
                            Results.percentile(roundTrips, (int) count, 50) / 1e3,
                            Results.percentile(roundTrips, (int) count, 99) / 1e3}));
                case STREAM_LOCKSTEP, STREAM_PIPELINED -> {
                    boolean lockstep = workload == Workload.STREAM_LOCKSTEP;
                    if (lockstep || transport.pipelines()) {
                        rows.add(new Row(workload, transport.id(), count -> session.stream(message, size, count,
                                lockstep), 100, STREAM_MAX, MIN_WARMUP_MESSAGES, PER_SECOND));
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
                    rows.add(new Row(workload, transport.id(), count -> session.stream(message, size, count, false),
                            4, BULK_MAX, 100, gigabytesPerSecond(size)));
                }
                default -> {
                    // in-process workloads have their own rows
                }
            }
        }
        return rows;
    }

    private void warmUp(List<Row> rows, String group) throws Exception {
        if (rows.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        for (Row row : rows) {
            row.count = Calibration.warmUp(row.batch, row.first, row.max, row.minWarmup, settings.warmup(),
                    settings.warmup().multipliedBy(WARMUP_LIMIT_FACTOR), settings.measure());
        }
        log.accept(String.format(Locale.ROOT, "warm-up %s done in %.1f s", group, (System.nanoTime() - start) / 1e9));
    }

    private void measure(List<Row> rows, int trial, String group) throws Exception {
        if (rows.isEmpty()) {
            return;
        }
        List<String> figures = new ArrayList<>();
        for (Row row : rows) {
            row.batch.run(Math.max(1, row.count / PRIME_FRACTION));
            long nanos = Math.max(1, row.batch.run(row.count));
            double[] figure = row.figure.of(row.count, nanos);
            results.add(row.workload, trial, row.subject, figure[0], figure[1]);
            String label = !row.workload.crossProcess() || row.subject.equals(InProcess.MEMCPY)
                    ? row.subject : row.workload.id();
            figures.add(label + " " + Report.number(figure[0]) + " " + row.workload.unit()
                    + (Double.isNaN(figure[1]) ? "" : " (p99 " + Report.number(figure[1]) + ")"));
        }
        log.accept("trial " + trial + " " + group + ": " + String.join(", ", figures));
    }

    private String nextName() {
        return namePrefix + (++names);
    }
}
