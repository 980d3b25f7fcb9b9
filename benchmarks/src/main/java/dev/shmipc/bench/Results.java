package dev.shmipc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every trial's figure for every row of every workload, and what the report says of them:
 * medians over trials, the spread, and ratios against a reference row of the same run.
 */
final class Results {
    /** The figures of one row (a transport, or an in-process variant) over the trials. */
    static final class Series {
        private final String subject;
        private final List<Double> values = new ArrayList<>();
        private final List<Double> tails = new ArrayList<>();

        Series(String subject) {
            this.subject = subject;
        }

        String subject() {
            return subject;
        }

        /** One trial's figure; {@code tail} is its 99th percentile where there is one, else NaN. */
        void add(double value, double tail) {
            values.add(value);
            if (!Double.isNaN(tail)) {
                tails.add(tail);
            }
        }

        int trials() {
            return values.size();
        }

        /** The latest trial's figure. */
        double last() {
            return values.get(values.size() - 1);
        }

        double median() {
            return Results.median(values);
        }

        double min() {
            return Collections.min(values);
        }

        double max() {
            return Collections.max(values);
        }

        /** The median over trials of each trial's 99th percentile, or NaN. */
        double tailMedian() {
            return tails.isEmpty() ? Double.NaN : Results.median(tails);
        }
    }

    private final Map<Workload, Map<String, Series>> rows = new EnumMap<>(Workload.class);
    private final List<String> notes = new ArrayList<>();

    /** Records one trial's figure for a row, creating the row on first use. */
    void add(Workload workload, String subject, double value, double tail) {
        rows.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                .computeIfAbsent(subject, Series::new)
                .add(value, tail);
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
                return null;
            default:
                return Transport.REFERENCE.id();
        }
    }

    /**
     * How many times better {@code subject}'s median is than {@code reference}'s in the same run
     * (above 1: better, whether lower or higher figures are better), if both were measured.
     */
    Optional<Double> speedup(Workload workload, String subject, String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        Optional<Series> a = row(workload, subject);
        Optional<Series> b = row(workload, reference);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(workload.speedup(a.get().median(), b.get().median()));
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
