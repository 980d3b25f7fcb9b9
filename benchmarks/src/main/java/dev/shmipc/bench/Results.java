package dev.shmipc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every trial's figure for every row of every workload, and what the report says of them:
 * medians over trials, the spread, and ratios against a reference row taken inside each trial.
 */
final class Results {
    /** The figures of one row (a transport, or an in-process variant), trial by trial. */
    static final class Series {
        private final String subject;
        private final Map<Integer, Double> values = new TreeMap<>();
        private final Map<Integer, Double> tails = new TreeMap<>();

        Series(String subject) {
            this.subject = subject;
        }

        String subject() {
            return subject;
        }

        /** Trial {@code trial}'s figure; {@code tail} is its 99th percentile where there is one, else NaN. */
        void add(int trial, double value, double tail) {
            if (values.putIfAbsent(trial, value) != null) {
                throw new IllegalStateException(subject + " already has a figure for trial " + trial);
            }
            tails.put(trial, tail);
        }

        /** The trials this row was measured in, in order. */
        List<Integer> trialNumbers() {
            return List.copyOf(values.keySet());
        }

        /** Trial {@code trial}'s figure, or NaN if the row was not measured in it. */
        double value(int trial) {
            return values.getOrDefault(trial, Double.NaN);
        }

        /** Trial {@code trial}'s 99th percentile, or NaN. */
        double tail(int trial) {
            return tails.getOrDefault(trial, Double.NaN);
        }

        double median() {
            return Results.median(List.copyOf(values.values()));
        }

        double min() {
            return Collections.min(values.values());
        }

        double max() {
            return Collections.max(values.values());
        }

        /** The median over trials of each trial's 99th percentile, or NaN. */
        double tailMedian() {
            List<Double> measured = tails.values().stream().filter(t -> !Double.isNaN(t)).toList();
            return measured.isEmpty() ? Double.NaN : Results.median(measured);
        }
    }

    /**
     * A figure taken in each trial and summarised over the trials: a row's own figure, or a row
     * against its reference row (both measured under the same load).
     *
     * @param perTrial the figure in each trial, by trial number
     * @param median   the median of those figures
     * @param min      the smallest of them
     * @param max      and the largest
     */
    record PerTrial(Map<Integer, Double> perTrial, double median, double min, double max) {
        /** The summary of {@code perTrial}, which must not be empty. */
        static PerTrial of(Map<Integer, Double> perTrial) {
            List<Double> values = List.copyOf(perTrial.values());
            return new PerTrial(Collections.unmodifiableMap(new TreeMap<>(perTrial)), Results.median(values),
                    Collections.min(values), Collections.max(values));
        }
    }

    private final Map<Workload, Map<String, Series>> rows = new EnumMap<>(Workload.class);
    private final List<String> notes = new ArrayList<>();

    /** Records trial {@code trial}'s figure for a row, creating the row on first use. */
    void add(Workload workload, int trial, String subject, double value, double tail) {
        rows.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                .computeIfAbsent(subject, Series::new)
                .add(trial, value, tail);
    }

    /** The trial numbers any row of {@code workload} was measured in, in order. */
    List<Integer> trialNumbers(Workload workload) {
        return rows(workload).stream().flatMap(r -> r.trialNumbers().stream()).distinct().sorted().toList();
    }

    /** A note for the report: a skipped transport, a workload that does not apply. */
    void note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** The workloads measured, in their order. */
    List<Workload> workloads() {
        return List.copyOf(rows.keySet());
    }

    /** The rows of a workload, in the order they were first measured. */
    List<Series> rows(Workload workload) {
        return List.copyOf(rows.getOrDefault(workload, Map.of()).values());
    }

    Optional<Series> row(Workload workload, String subject) {
        return Optional.ofNullable(rows.getOrDefault(workload, Map.of()).get(subject));
    }

    /** The row ratios in {@code workload} are taken against, or null where none makes sense. */
    static String referenceOf(Workload workload) {
        switch (workload) {
            case INT_READ:
                return InProcess.IntReader.JNA_POINTER.label();
            case HANDSHAKE_STEP:
            case SLOW_PATH: // each FFM row against its own JNA row: in the targets
                return null;
            default:
                return Transport.REFERENCE.id();
        }
    }

    /**
     * How many times better {@code subject} is than {@code reference} (above 1: better, whether
     * lower or higher figures are better), trial by trial, if both were measured in a trial.
     * Each trial's ratio compares two figures taken in the same pass over the rows; a ratio of
     * medians would compare figures from different trials, under whatever load each one met.
     */
    Optional<PerTrial> ratio(Workload workload, String subject, String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        Optional<Series> a = row(workload, subject);
        Optional<Series> b = row(workload, reference);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        Map<Integer, Double> perTrial = new TreeMap<>();
        for (int trial : a.get().trialNumbers()) {
            double value = a.get().value(trial);
            double base = b.get().value(trial);
            if (!Double.isNaN(base)) {
                perTrial.put(trial, workload.speedup(value, base));
            }
        }
        return perTrial.isEmpty() ? Optional.empty() : Optional.of(PerTrial.of(perTrial));
    }

    /** The median of the per-trial ratios of {@link #ratio}. */
    Optional<Double> speedup(Workload workload, String subject, String reference) {
        return ratio(workload, subject, reference).map(PerTrial::median);
    }

    /** A row's own figure in each trial, if it was measured. */
    Optional<PerTrial> figures(Workload workload, String subject) {
        return row(workload, subject).map(series -> {
            Map<Integer, Double> perTrial = new TreeMap<>();
            for (int trial : series.trialNumbers()) {
                perTrial.put(trial, series.value(trial));
            }
            return PerTrial.of(perTrial);
        });
    }

    /** The median: the middle value, or the mean of the two middle values. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The {@code p}-th percentile (0 &lt; p &lt;= 100) of the first {@code n} values, by the
     * nearest-rank method; sorts that part of the array in place.
     */
    static long percentile(long[] values, int n, double p) {
        if (n <= 0 || p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " of " + n + " values");
        }
        Arrays.sort(values, 0, n);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return values[Math.max(0, rank - 1)];
    }
}
