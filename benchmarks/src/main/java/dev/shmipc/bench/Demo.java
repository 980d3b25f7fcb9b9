package dev.shmipc.bench;

import dev.shmipc.common.program.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The benchmark suite: is shared memory really the fastest IPC? Measures every transport and
 * workload between this JVM and a {@link Responder} JVM, prints a table, and writes
 * {@code results.md} and {@code results.svg}.
 *
 * <pre>
 * ./mvnw -q test-compile exec:exec -pl benchmarks -am                        # the whole suite, a few minutes
 * ./mvnw -q test-compile exec:exec -pl benchmarks -am -Dargs="--quick"       # shorter, for development
 * ./mvnw -q test-compile exec:exec -pl benchmarks -am -Dargs="--transport shm-spin,uds --workload ping-pong --trials 7"
 * </pre>
 */
public final class Demo {
    static final String USAGE = "Demo [--transport " + ids(List.of(Transport.values()), Transport::id) + "]"
            + " [--workload " + ids(List.of(Workload.values()), Workload::id) + "]"
            + " [--trials N] [--quick] [--verify] [--out DIR]";

    private Demo() {
    }

    public static void main(String[] args) {
        Cli.main("bench", USAGE, Set.of("transport", "workload", "trials", "out"), Set.of("quick", "verify"), args,
                parsed -> {
                    parsed.positional(0);
                    Settings settings = Settings.of(
                            Ids.choose(parsed.option("transport", null), Transport::of, List.of(Transport.values())),
                            Ids.choose(parsed.option("workload", null), Workload::of, List.of(Workload.values())),
                            parsed.intOption("trials", Settings.DEFAULT_TRIALS, 1, 1000),
                            parsed.flag("quick"), parsed.flag("verify"), Path.of(parsed.option("out", "target")));
                    try {
                        return run(settings);
                    } catch (IOException e) {
                        throw new Cli.Failure(e.getMessage());
                    }
                });
    }

    /** Runs the suite and writes the report; returns the exit code. */
    static int run(Settings settings) throws Exception {
        prepareOutput(settings.output()); // a report that cannot be written fails now, not after the run
        MachineInfo machine = MachineInfo.current();
        Report.machineLines(machine).forEach(Demo::print);
        print("transports: " + ids(settings.transports(), Transport::id) + "; workloads: "
                + ids(settings.workloads(), Workload::id) + "; " + settings.trials() + " trials"
                + (settings.quick() ? ", quick" : "") + (settings.verify() ? ", verifying every byte" : ""));
        if (settings.trials() < Settings.DEFAULT_TRIALS) {
            print("note: fewer than " + Settings.DEFAULT_TRIALS + " trials; the medians are rough");
        }
        String loadBefore = MachineInfo.loadAverage();
        print("load average before: " + loadBefore);
        Instant started = Instant.now();
        long start = System.nanoTime();

        Results results = new Suite(settings, Demo::print).run();

        String loadAfter = MachineInfo.loadAverage();
        print("load average after: " + loadAfter);
        Report report = new Report(results, new Report.Context(machine, settings, started,
                Duration.ofNanos(System.nanoTime() - start), loadBefore, loadAfter));
        report.consoleLines().forEach(Demo::print);

        Path markdown = settings.output().resolve("results.md");
        Path chart = settings.output().resolve("results.svg");
        write(markdown, report.markdown(chart.getFileName().toString()));
        write(chart, SvgChart.draw(results, "Is shared memory the fastest IPC? " + machine.cpu() + ", "
                + machine.cpus() + " CPUs, " + settings.trials() + " trials"));
        print("");
        print("wrote " + markdown.toAbsolutePath().normalize());
        print("wrote " + chart.toAbsolutePath().normalize());
        return Cli.EXIT_OK;
    }

    /** Makes the report's folder, or fails in one line that names it. */
    static void prepareOutput(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            String why = Files.exists(folder) ? "it is not a folder"
                    : e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                            ? ((FileSystemException) e).getReason() : "the path cannot be made";
            throw new Cli.Failure("cannot make the report folder " + folder + ": " + why);
        }
        if (!Files.isWritable(folder)) {
            throw new Cli.Failure("cannot write the report into " + folder + ": permission denied");
        }
    }

    private static <T> String ids(List<T> items, Function<T, String> id) {
        return Ids.join(items, id, ",");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void print(String line) {
        System.out.println(line.isEmpty() ? "[bench]" : "[bench] " + line);
    }
}
