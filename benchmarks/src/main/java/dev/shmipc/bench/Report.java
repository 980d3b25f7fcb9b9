package dev.shmipc.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the results of one run into text: the console table and {@code results.md}. Every
 * figure is the median over the trials; ratios compare medians of the same run.
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
                    + " is better)");
            lines.add(String.format(Locale.ROOT, "  %-22s %12s %12s %25s %12s", "", "median",
                    tails ? "p99" : "", "trials min .. max", reference == null ? "" : "vs " + reference));
            for (Results.Series row : results.rows(workload)) {
                lines.add(String.format(Locale.ROOT, "  %-22s %12s %12s %25s %12s", row.subject(),
                        number(row.median()), tails ? number(row.tailMedian()) : "",
                        number(row.min()) + " .. " + number(row.max()),
                        results.speedup(workload, row.subject(), reference).map(Report::ratio).orElse("-")));
            }
        }
        lines.add("");
        lines.add("targets (ratios of medians in this run):");
        for (Targets.Target target : Targets.check(results)) {
            lines.add(String.format(Locale.ROOT, "  %-12s %-78s %s", target.verdict(), target.claim(),
                    target.measured().map(Report::ratio).orElse("")));
        }
        for (String note : results.notes()) {
            lines.add("note: " + note);
        }
        return lines;
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
        md.append('\n');
        md.append("Each figure is the median over the trials. Absolute figures drift from run to run on a shared "
                + "machine; the ratios against the reference row of the same run are what to compare.\n\n");
        md.append("![chart](").append(chartFile).append(")\n\n");
        for (Workload workload : results.workloads()) {
            String reference = Results.referenceOf(workload);
            boolean tails = workload == Workload.PING_PONG;
            md.append("## ").append(workload.id()).append(": ").append(workload.title()).append("\n\n");
            md.append("| | median, ").append(workload.unit()).append(tails ? " | p99, " + workload.unit() : "")
                    .append(" | trials min .. max | ").append(reference == null ? "" : "vs " + reference).append(" |\n");
            md.append("|---|---:|").append(tails ? "---:|" : "").append("---:|---:|\n");
            for (Results.Series row : results.rows(workload)) {
                md.append("| ").append(row.subject()).append(" | ").append(number(row.median()))
                        .append(tails ? " | " + number(row.tailMedian()) : "")
                        .append(" | ").append(number(row.min())).append(" .. ").append(number(row.max()))
                        .append(" | ").append(results.speedup(workload, row.subject(), reference).map(Report::ratio).orElse("-"))
                        .append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Targets\n\n| target | needs | this run | |\n|---|---:|---:|---|\n");
        for (Targets.Target target : Targets.check(results)) {
            md.append("| ").append(target.claim()).append(" | ").append(ratio(target.required())).append(" | ")
                    .append(target.measured().map(Report::ratio).orElse("-")).append(" | ").append(target.verdict())
                    .append(" |\n");
        }
        if (!results.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String note : results.notes()) {
                md.append("- ").append(note).append('\n');
            }
        }
        return md.toString();
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
