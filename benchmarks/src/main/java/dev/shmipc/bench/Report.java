package dev.shmipc.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the results of one run into text: the console table and {@code results.md}. Every
 * figure is the median over the trials; a ratio is the median over the trials of the ratio
 * taken inside each trial, with the smallest and largest of those per-trial ratios.
 */
final class Report {
    /**
     * What was run, where and when.
     *
     * @param machine    the machine
     * @param settings   the settings
     * @param started    when the run started
     * @param elapsed    how long it took
     * @param loadBefore the 1-minute load average before the run
     * @param loadAfter  and after it
     */
    record Context(MachineInfo machine, Settings settings, Instant started, Duration elapsed, String loadBefore,
            String loadAfter) {
    }

    /** What the ping-pong p99 is, and what it is not. */
    static final String P99_NOTE = "p99: the 99th percentile of the round trips in one trial (the median of it over "
            + "the trials), measured closed-loop with one message in flight: the service time of a lone message, not "
            + "latency under load.";

    /** What the C rows are, for {@code results.md}. */
    static final String C_ROWS = "module 04's lockstep stream in C, two processes (benchmarks/src/main/c/reference.c, "
            + "one run per row and trial): `C sem-block` on POSIX semaphores with blocking waits, `C sem-spin` the same "
            + "spinning on sem_trywait for up to 50 us first, `C shmipc (this protocol)` on this project's events and "
            + "mutex (common/src/main/c/shmipc_sync.h), `C uds` over a Unix socket pair";

    /** The heading of the comparison of the two native bindings. */
    static final String BINDINGS_HEAD = "FFM against JNA, the same rows in one JVM per binding (median of the "
            + "per-trial ratios, min .. max; above 1: FFM is better)";
    /** The least width of the console's column of row names. */
    private static final int NAME_WIDTH = 22;
    /** The width of a column of ratios against a C reference row in the console. */
    private static final int C_WIDTH = 24;

    private final Results results;
    private final Context context;

    Report(Results results, Context context) {
        this.results = results;
        this.context = context;
    }

    /** The machine lines, printed before the run and repeated in the report. */
    static List<String> machineLines(MachineInfo machine) {
        return List.of(
                "cpu: " + machine.cpu() + ", " + machine.cpus() + (machine.cpus() == 1 ? " CPU" : " CPUs"),
                "os:  " + machine.os(),
                "jdk: " + machine.jdk());
    }

    /** The console table, one line at a time, without the role prefix. */
    List<String> consoleLines() {
        List<String> lines = new ArrayList<>();
        for (Workload workload : results.workloads()) {
            String reference = Results.referenceOf(workload);
            boolean tails = workload == Workload.PING_PONG;
            lines.add("");
            lines.add(workload.id() + ": " + workload.title() + ", median of " + context.settings().trials()
                    + " trials, " + workload.unit() + " (" + (workload.higherIsBetter() ? "higher" : "lower")
                    + " is better)" + (tails ? "; p99 is closed-loop service time, not latency under load" : ""));
            // A p99 column only where there is a tail, a ratio column only where there is a reference.
            String ratioHead = reference == null ? null : "vs " + reference + " (min .. max)";
            int ratioWidth = ratioHead == null ? 0 : Math.max(26, ratioHead.length());
            // The names' column fits the longest name, C rows' included.
            String name = "  %-" + results.rows(workload).stream().mapToInt(r -> r.subject().length())
                    .reduce(NAME_WIDTH, Math::max) + "s";
            lines.add(consoleRow(name, "", "median", tails ? "p99" : null, "trials min .. max", ratioHead, ratioWidth));
            for (Results.Series row : results.rows(workload)) {
                lines.add(consoleRow(name, row.subject(), number(row.median()),
                        tails ? number(row.tailMedian()) : null, number(row.min()) + " .. " + number(row.max()),
                        reference == null ? null
                                : results.ratio(workload, row.subject(), reference).map(Report::ratioRange).orElse("-"),
                        ratioWidth));
            }
            List<String> cRows = cRows(workload);
            if (!cRows.isEmpty()) {
                lines.add("  against the C references (median of the per-trial ratios, min .. max):");
                StringBuilder head = new StringBuilder(String.format(Locale.ROOT, name, ""));
                cRows.forEach(c -> head.append(String.format(Locale.ROOT, " %" + C_WIDTH + "s", c)));
                lines.add(head.toString());
                for (String java : javaRows(workload)) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, name, java));
                    cRows.forEach(c -> line.append(String.format(Locale.ROOT, " %" + C_WIDTH + "s",
                            results.ratio(workload, java, c).map(Report::ratioRange).orElse("-"))));
                    lines.add(line.toString());
                }
            }
        }
        List<String[]> bindings = bindingRatios();
        if (!bindings.isEmpty()) {
            lines.add("");
            lines.add(BINDINGS_HEAD + ":");
            for (String[] row : bindings) {
                lines.add(String.format(Locale.ROOT, "  %-16s %-40s %s", (Object[]) row));
            }
        }
        lines.add("");
        lines.add("targets (median of the ratios taken inside each trial, min .. max):");
        for (Targets.Target target : Targets.check(results)) {
            lines.add(String.format(Locale.ROOT, "  %-12s %-76s %s", target.verdict(), target.claim(),
                    target.result()).stripTrailing());
        }
        for (String note : results.notes()) {
            lines.add("note: " + note);
        }
        return lines;
    }

    /**
     * Each row measured with both bindings: its workload, its name, and its FFM figure against
     * its JNA figure (median of the per-trial ratios, min .. max).
     */
    private List<String[]> bindingRatios() {
        List<String[]> rows = new ArrayList<>();
        for (BindingProbe.Op op : BindingProbe.Op.values()) {
            Targets.ffmVersusJna(results, op).ifPresent(ratio -> rows.add(new String[] {op.workload.id(), op.label,
                ratioRange(ratio)}));
        }
        return rows;
    }

    /** The C reference rows of {@code workload}, in their order. */
    private List<String> cRows(Workload workload) {
        return results.rows(workload).stream().map(Results.Series::subject).filter(CReference::isC).toList();
    }

    /** The rows of {@code workload} that are not C reference rows. */
    private List<String> javaRows(Workload workload) {
        return results.rows(workload).stream().map(Results.Series::subject).filter(s -> !CReference.isC(s)).toList();
    }

    private static String consoleRow(String name, String subject, String median, String tail, String range,
            String ratio, int ratioWidth) {
        return String.format(Locale.ROOT, name + " %12s", subject, median)
                + (tail == null ? "" : String.format(Locale.ROOT, " %12s", tail))
                + String.format(Locale.ROOT, " %25s", range)
                + (ratio == null ? "" : " " + " ".repeat(Math.max(0, ratioWidth - ratio.length())) + ratio);
    }

    /** {@code results.md}: the machine, the settings, a table per workload, the targets, the chart. */
    String markdown(String chartFile) {
        Settings settings = context.settings();
        StringBuilder md = new StringBuilder();
        md.append("# Is shared memory the fastest IPC? Results\n\n");
        md.append("Run started ").append(context.started().truncatedTo(ChronoUnit.SECONDS)).append(", took ")
                .append(context.elapsed().toSeconds()).append(" s.\n\n");
        for (String line : machineLines(context.machine())) {
            md.append("- ").append(line).append('\n');
        }
        md.append("- load average (1 min) before the run: ").append(context.loadBefore()).append(", after: ")
                .append(context.loadAfter()).append(" (near or above the CPU count means other work shared the machine)\n");
        md.append("- ").append(settings.trials()).append(settings.trials() == 1 ? " trial" : " alternating trials")
                .append("; warm-up ")
                .append(settings.warmup().toMillis()).append(" ms and measuring ").append(settings.measure().toMillis())
                .append(" ms per row and trial").append(settings.quick() ? " (--quick)" : "")
                .append(settings.verify() ? "; every byte verified (--verify), which slows every row" : "")
                .append("\n\n");
        md.append("Transports:\n\n");
        for (Transport transport : settings.transports()) {
            md.append("- `").append(transport.id()).append("`: ").append(transport.description()).append('\n');
        }
        if (results.workloads().stream().anyMatch(w -> !cRows(w).isEmpty())) {
            md.append("- `C ...`: ").append(C_ROWS).append('\n');
        }
        md.append('\n');
        md.append("Each figure is the median over the trials. Absolute figures drift from run to run on a shared "
                + "machine, and from trial to trial within a run; so each ratio is taken inside each trial (a row "
                + "against the reference row measured in the same pass over the rows), and the tables give the "
                + "median of those per-trial ratios with their smallest and largest. Every trial's figures follow "
                + "each table, so that each summary can be checked.\n\n");
        md.append("![chart](").append(chartFile).append(")\n\n");
        for (Workload workload : results.workloads()) {
            String reference = Results.referenceOf(workload);
            boolean tails = workload == Workload.PING_PONG;
            md.append("## ").append(workload.id()).append(": ").append(workload.title()).append("\n\n");
            if (tails) {
                md.append(P99_NOTE).append("\n\n");
            }
            md.append("| | median, ").append(workload.unit()).append(tails ? " | p99, " + workload.unit() : "")
                    .append(" | trials min .. max |")
                    .append(reference == null ? "" : " vs " + reference + ", median of per-trial ratios (min .. max) |")
                    .append('\n');
            md.append("|---|---:|").append(tails ? "---:|" : "").append("---:|").append(reference == null ? "" : "---:|")
                    .append('\n');
            for (Results.Series row : results.rows(workload)) {
                md.append("| ").append(row.subject()).append(" | ").append(number(row.median()))
                        .append(tails ? " | " + number(row.tailMedian()) : "")
                        .append(" | ").append(number(row.min())).append(" .. ").append(number(row.max()))
                        .append(" |");
                if (reference != null) {
                    md.append(' ')
                            .append(results.ratio(workload, row.subject(), reference).map(Report::ratioRange).orElse("-"))
                            .append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            cTable(md, workload);
            trialTable(md, workload, reference, tails);
        }
        List<String[]> bindings = bindingRatios();
        if (!bindings.isEmpty()) {
            md.append("## FFM against JNA\n\n").append(BINDINGS_HEAD).append(".\n\n| workload | row | FFM vs JNA |\n"
                    + "|---|---|---:|\n");
            bindings.forEach(row -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
            md.append('\n');
        }
        md.append("## Targets\n\nJudged by the median of the per-trial ratios (for the handshake step, of the "
                + "per-trial figures).\n\n| target | needs | this run (min .. max) | |\n|---|---:|---:|---|\n");
        for (Targets.Target target : Targets.check(results)) {
            md.append("| ").append(target.claim()).append(" | ").append(target.needs()).append(" | ")
                    .append(target.measured().isEmpty() ? "-" : target.result()).append(" | ")
                    .append(target.verdict()).append(" |\n");
        }
        if (!results.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String note : results.notes()) {
                md.append("- ").append(note).append('\n');
            }
        }
        return md.toString();
    }

    /** Every other row of {@code workload} against each C reference row, ratios taken inside each trial. */
    private void cTable(StringBuilder md, Workload workload) {
        List<String> cRows = cRows(workload);
        if (cRows.isEmpty()) {
            return;
        }
        md.append("Against the C references, median of the per-trial ratios (min .. max):\n\n| |");
        cRows.forEach(c -> md.append(" vs ").append(c).append(" |"));
        md.append("\n|---|").append("---:|".repeat(cRows.size())).append('\n');
        for (String java : javaRows(workload)) {
            md.append("| ").append(java).append(" |");
            cRows.forEach(c -> md.append(' ')
                    .append(results.ratio(workload, java, c).map(Report::ratioRange).orElse("-")).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    /**
     * Every trial's figure of every row of {@code workload}, with the p99 where there is one and
     * the ratio against the reference row of the same trial, so that the summary can be checked.
     */
    private void trialTable(StringBuilder md, Workload workload, String reference, boolean tails) {
        List<Integer> trials = results.trialNumbers(workload);
        md.append("Every trial, ").append(workload.unit()).append(tails ? " (p99 in round brackets)" : "")
                .append(reference == null ? "" : " [ratio against " + reference + " in that trial, in square brackets]")
                .append(":\n\n| |");
        for (int trial : trials) {
            md.append(" trial ").append(trial).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(trials.size())).append('\n');
        for (Results.Series row : results.rows(workload)) {
            Optional<Results.PerTrial> ratios = results.ratio(workload, row.subject(), reference);
            md.append("| ").append(row.subject()).append(" |");
            for (int trial : trials) {
                double value = row.value(trial);
                md.append(' ').append(number(value));
                if (tails && !Double.isNaN(row.tail(trial))) {
                    md.append(" (").append(number(row.tail(trial))).append(')');
                }
                Double r = ratios.map(x -> x.perTrial().get(trial)).orElse(null);
                if (r != null && !row.subject().equals(reference)) {
                    md.append(" [").append(ratio(r)).append(']');
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** A ratio with the range of the per-trial ratios, {@code 12.3x (11.0x .. 14.1x)}, or one ratio where they agree. */
    static String ratioRange(Results.PerTrial r) {
        String low = ratio(r.min());
        String high = ratio(r.max());
        return low.equals(high) ? ratio(r.median()) : ratio(r.median()) + " (" + low + " .. " + high + ")";
    }

    /** A figure with the range of the per-trial figures, {@code 17.0 ns/pair (16.1 .. 19.2)}. */
    static String figureRange(Results.PerTrial f, String unit) {
        String low = number(f.min());
        String high = number(f.max());
        return number(f.median()) + " " + unit + (low.equals(high) ? "" : " (" + low + " .. " + high + ")");
    }

    /** A figure with about three significant digits. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        } else if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        } else if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        } else if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A ratio: {@code 12.3x}. */
    static String ratio(double value) {
        return String.format(Locale.ROOT, value >= 10 ? "%.0fx" : "%.2fx", value);
    }
}
