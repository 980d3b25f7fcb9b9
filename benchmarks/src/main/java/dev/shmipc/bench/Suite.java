package dev.shmipc.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs the trials. Each trial visits every row once (the in-process rows, then one session per
 * transport, starting with a different transport each trial), so slow drift on a shared machine
 * spreads over all rows instead of favouring whichever ran first; the report then takes the
 * median of each row over the trials.
 */
final class Suite {
    static final int PING_PONG_MAX = 1 << 20;
    static final long STREAM_MAX = 50_000_000L;
    static final long BULK_MAX = 200_000L;

    private final Settings settings;
    private final Consumer<String> log;
    private final String namePrefix = "bench-" + Long.toString(ProcessHandle.current().pid(), 36) + "-";
    private final Results results = new Results();
    private final ByteBuffer message = ByteBuffer.allocateDirect(Workload.MAX_MESSAGE);
    private final long[] roundTrips = new long[PING_PONG_MAX];
    private int sessions;

    /** @param log receives one progress line at a time, without the role prefix */
    Suite(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /** The transports this machine can run, with a note for each one left out. */
    List<Transport> runnableTransports(int cpus) {
        List<Transport> runnable = new ArrayList<>();
        for (Transport t : settings.transports()) {
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
        List<Transport> transports = runnableTransports(Runtime.getRuntime().availableProcessors());
        List<Workload> crossProcess = new ArrayList<>();
        for (Workload w : settings.workloads()) {
            if (w.crossProcess()) {
                crossProcess.add(w);
            }
        }
        boolean inProcess = settings.workloads().contains(Workload.INT_READ) || settings.workloads().contains(Workload.BULK);
        try (InProcess local = inProcess ? new InProcess(nextName()) : null) {
            for (int trial = 1; trial <= settings.trials(); trial++) {
                long start = System.nanoTime();
                if (local != null) {
                    measureInProcess(local, trial);
                }
                List<Transport> order = new ArrayList<>(transports);
                Collections.rotate(order, -(trial - 1));
                for (Transport transport : order) {
                    if (!crossProcess.isEmpty()) {
                        measureSession(transport, crossProcess, trial);
                    }
                }
                log.accept(String.format(Locale.ROOT, "trial %d/%d done in %.1f s", trial, settings.trials(),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return results;
    }

    private void measureInProcess(InProcess local, int trial) throws Exception {
        List<String> figures = new ArrayList<>();
        if (settings.workloads().contains(Workload.BULK)) {
            int size = Workload.BULK.messageSize();
            Calibration.Batch copy = local::copy;
            long count = Calibration.warmUp(copy, 4, BULK_MAX, settings.warmup(), settings.measure());
            double gbps = (double) count * size / copy.run(count);
            results.add(Workload.BULK, InProcess.MEMCPY, gbps, Double.NaN);
            figures.add(String.format(Locale.ROOT, "memcpy %.2f GB/s", gbps));
        }
        if (settings.workloads().contains(Workload.INT_READ)) {
            List<InProcess.IntReader> readers = new ArrayList<>(List.of(InProcess.IntReader.values()));
            Collections.rotate(readers, -(trial - 1));
            for (InProcess.IntReader reader : readers) {
                Calibration.Batch reads = count -> local.readInts(reader, count);
                long count = Calibration.warmUp(reads, 10_000, Long.MAX_VALUE / 2, settings.warmup(), settings.measure());
                double nanosPerRead = (double) reads.run(count) / count;
                results.add(Workload.INT_READ, reader.label(), nanosPerRead, Double.NaN);
            }
            for (InProcess.IntReader reader : InProcess.IntReader.values()) {
                results.row(Workload.INT_READ, reader.label()).ifPresent(s -> figures.add(String.format(Locale.ROOT,
                        "%s %.2f ns", reader.label(), s.last())));
            }
        }
        log.accept("trial " + trial + " in-process: " + String.join(", ", figures));
    }

    private void measureSession(Transport transport, List<Workload> workloads, int trial) throws Exception {
        List<String> figures = new ArrayList<>();
        try (Session session = Session.start(transport, nextName(), settings.verify(), settings.timeout())) {
            for (Workload workload : workloads) {
                if (workload == Workload.STREAM_PIPELINED && !transport.pipelines()) {
                    results.note(transport.id() + " has no pipelined stream: one buffer and a handshake per record"
                            + " allow one record in flight, so it would repeat the lockstep figure");
                    continue;
                }
                figures.add(measure(session, workload));
            }
            session.finish(settings.timeout());
        }
        log.accept("trial " + trial + " " + transport.id() + ": " + String.join(", ", figures));
    }

    /** Warms one workload up on one session, measures it and records the figure; returns it as text. */
    private String measure(Session session, Workload workload) throws Exception {
        String subject = session.transport().id();
        int size = workload.messageSize();
        switch (workload) {
            case PING_PONG: {
                Calibration.Batch batch = count -> session.pingPong(message, size, (int) count, roundTrips);
                int count = (int) Calibration.warmUp(batch, 100, PING_PONG_MAX, settings.warmup(), settings.measure());
                batch.run(count);
                double median = Results.percentile(roundTrips, count, 50) / 1e3;
                double p99 = Results.percentile(roundTrips, count, 99) / 1e3;
                results.add(workload, subject, median, p99);
                return String.format(Locale.ROOT, "ping-pong %.2f us (p99 %.2f us)", median, p99);
            }
            case STREAM_LOCKSTEP:
            case STREAM_PIPELINED: {
                boolean lockstep = workload == Workload.STREAM_LOCKSTEP;
                Calibration.Batch batch = count -> lockstep
                        ? session.lockstep(message, size, count)
                        : session.pipelined(message, size, count);
                long count = Calibration.warmUp(batch, 100, STREAM_MAX, settings.warmup(), settings.measure());
                double perSecond = count * 1e9 / batch.run(count);
                results.add(workload, subject, perSecond, Double.NaN);
                return String.format(Locale.ROOT, "%s %,.0f records/s", workload.id(), perSecond);
            }
            case BULK: {
                Calibration.Batch batch = count -> session.pipelined(message, size, count);
                long count = Calibration.warmUp(batch, 4, BULK_MAX, settings.warmup(), settings.measure());
                double gbps = (double) count * size / batch.run(count);
                results.add(workload, subject, gbps, Double.NaN);
                return String.format(Locale.ROOT, "bulk %.2f GB/s", gbps);
            }
            default:
                throw new IllegalArgumentException(workload.id() + " is not measured between processes");
        }
    }

    private String nextName() {
        return namePrefix + (++sessions);
    }

    Results results() {
        return results;
    }
}
