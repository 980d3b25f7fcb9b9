package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.ObjectName;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs the module's three stories with separate JVMs and prints their interleaved output:
 * the Delphi record and its buttons, with the byte-order bug ({@link RecordWriter},
 * {@link RecordReader}); the market-data table ({@link TickWriter}, {@link TickReader}); and torn
 * reads against the sequence lock ({@link TornWriter}, {@link TornReader}).
 *
 * <p>A step that fails stops the demo with one line that says which step and why (the
 * program's own error line, folded into it), exit 1; a bad name is exit 2 before anything runs.
 * Each story starts by creating its object, which fails on a name that is taken, so the demo
 * never writes into an object it did not make, nor removes one.
 */
public final class Demo {
    static final String USAGE = "Demo [--mmf-name NAME] [--table-name NAME] [--guarded-name NAME]";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A program's error line, which the demo folds into its own instead of printing it twice. */
    private static final Pattern ERROR_LINE = Pattern.compile("\\[(writer|reader)] error: .*");
    /** The programs' lines, printed as they come: they carry their own prefix. */
    private static final Consumer<String> PRINT = line -> {
        if (!ERROR_LINE.matcher(line).matches()) {
            System.out.println(line);
        }
    };

    private Demo() {
    }

    public static void main(String[] args) {
        Cli.main("demo", USAGE, Set.of("mmf-name", "table-name", "guarded-name"), Set.of(), args, Demo::run);
    }

    private static int run(Cli.Args args) throws Exception {
        args.positional(0);
        String mmf = name(args, "mmf-name", Contract.RECORD_NAME);
        String table = name(args, "table-name", Contract.TABLE_NAME);
        String guarded = name(args, "guarded-name", Contract.GUARDED_NAME);

        Cli.say("1. the Delphi record: the form creates it, the buttons open, act, close");
        String form = "RecordWriter create --name " + mmf;
        try (JvmProcess owner = start(RecordWriter.class, "create", "--name", mmf, "--hold", "120")) {
            awaitLine(owner, "[writer] holding", form);
            step(RecordWriter.class, "set-valwrd", "7", "--name", mmf);
            step(RecordWriter.class, "set-valint", "--name", mmf);
            step(RecordWriter.class, "set-valdbl", "2.5", "--name", mmf);
            step(RecordWriter.class, "show-valint", "--name", mmf);
            step(RecordReader.class, "--name", mmf);
            // As closing the form: Enter in the owner's terminal, the same on every OS.
            Cli.say("closing the form: Enter in the owner's terminal");
            owner.writeLine("");
            finish(owner, form);
        }

        Cli.say("2. market data: a writer publishes ticks into a table, a reader prints them");
        String ticks = "TickWriter --name " + table;
        try (JvmProcess writer = start(TickWriter.class, "--name", table,
                "--records", "3", "--ticks", "9", "--interval-ms", "100")) {
            awaitLine(writer, "[writer] created", ticks);
            try (JvmProcess reader = start(TickReader.class, "--name", table)) {
                finish(reader, "TickReader --name " + table);
            }
            finish(writer, ticks);
        }

        Cli.say("3. torn reads: plain copies of a record that keeps changing,"
                + " then the sequence lock");
        String churn = "TornWriter --name " + guarded;
        try (JvmProcess writer = start(TornWriter.class, "--name", guarded)) {
            awaitLine(writer, "[writer] churning", churn);
            try (JvmProcess reader = start(TornReader.class, "--name", guarded)) {
                finish(reader, "TornReader --name " + guarded);
            }
            finish(writer, churn);
        }
        // Both sides have exited and their output is printed: this line is always the last.
        Cli.say("done: all three stories ran to the end");
        return Cli.EXIT_OK;
    }

    /** A name option, checked before anything runs: a bad one is a usage error. */
    private static String name(Cli.Args args, String option, String fallback) {
        String name = args.option(option, fallback);
        try {
            ObjectName.of(name);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException("--" + option + ": " + e.getMessage());
        }
        return name;
    }

    private static JvmProcess start(Class<?> main, String... args) {
        return JvmProcess.start(main, PRINT, args);
    }

    /** Runs one program to its end, like one button click. */
    private static void step(Class<?> main, String... args) throws InterruptedException {
        try (JvmProcess program = start(main, args)) {
            finish(program, main.getSimpleName() + " " + String.join(" ", args));
        }
    }

    /** Waits for the line that says {@code program} is ready; if it ends first, says why. */
    private static void awaitLine(JvmProcess program, String prefix, String command) throws InterruptedException {
        try {
            program.awaitLine(line -> line.startsWith(prefix), TIMEOUT);
        } catch (TimeoutException e) {
            if (program.isAlive()) {
                throw new Cli.Failure("'" + command + "' did not start within " + TIMEOUT.toSeconds() + " s");
            }
            finish(program, command); // ended: its exit code and error line say why
            throw new Cli.Failure("'" + command + "' ended before it started its work");
        }
    }

    /** Waits for {@code program} to end; anything but exit 0 stops the demo with the program's reason. */
    private static void finish(JvmProcess program, String command) throws InterruptedException {
        int code;
        try {
            code = program.waitFor(TIMEOUT);
        } catch (TimeoutException e) {
            throw new Cli.Failure("'" + command + "' did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        if (code != 0) {
            List<String> errors = program.stderr();
            String reason = errors.stream().filter(line -> ERROR_LINE.matcher(line).matches())
                    .map(line -> line.substring(line.indexOf(" error: ") + " error: ".length()))
                    .reduce((first, second) -> second)
                    .orElse("see its output above");
            throw new Cli.Failure("'" + command + "' failed (exit " + code + "): " + reason);
        }
    }
}
