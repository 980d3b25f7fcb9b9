package dev.shmipc.structs;

import dev.shmipc.common.Cli;
import dev.shmipc.common.JvmProcess;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the module's three stories with separate JVMs and prints their interleaved output:
 * the Delphi record and its buttons (with the byte-order bug), the market-data table, and torn
 * reads against the sequence lock.
 */
public final class Demo {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Consumer<String> PRINT = System.out::println;

    private Demo() {
    }

    public static void main(String[] args) {
        Cli.main("demo", "Demo [--mmf-name NAME] [--table-name NAME] [--guarded-name NAME]",
                Set.of("mmf-name", "table-name", "guarded-name"), Set.of(), args, Demo::run);
    }

    private static int run(Cli.Args args) throws Exception {
        args.positional(0);
        String mmf = args.option("mmf-name", MmfData.DEFAULT_NAME);
        String table = args.option("table-name", TickTable.DEFAULT_NAME);
        String guarded = args.option("guarded-name", GuardedMmfData.DEFAULT_NAME);

        System.out.println("[demo] 1. the Delphi record: the form creates it, the buttons open, act, close");
        try (JvmProcess owner = JvmProcess.start(Writer.class, PRINT, "create", "--name", mmf, "--hold-ms", "120000")) {
            owner.awaitLine(line -> line.startsWith("[writer] holding"), TIMEOUT);
            step(Writer.class, "set-valwrd", "7", "--name", mmf);
            step(Writer.class, "set-valint", "--name", mmf);
            step(Writer.class, "set-valdbl", "2.5", "--name", mmf);
            step(Writer.class, "show-valint", "--name", mmf);
            step(Reader.class, "show", "--name", mmf);
            // As closing the form. On Linux and macOS this is SIGTERM and the owner's exit hook
            // removes the name; on Windows it is TerminateProcess, and the mapping ends with the
            // last handle to it, which the buttons have already closed.
            owner.terminate();
            owner.waitFor(TIMEOUT);
            System.out.println("[demo] stopped the owner of '" + mmf + "'; the name went with it");
        }

        System.out.println("[demo] 2. market data: a writer publishes ticks into a table, a reader prints them");
        try (JvmProcess writer = JvmProcess.start(Writer.class, PRINT, "ticks", "--name", table,
                "--records", "3", "--ticks", "9", "--interval-ms", "100")) {
            writer.awaitLine(line -> line.startsWith("[writer] created"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, PRINT, "ticks", "--name", table)) {
                finish(reader);
            }
            finish(writer);
        }

        System.out.println("[demo] 3. torn reads: plain copies of a record that keeps changing,"
                + " then the sequence lock");
        try (JvmProcess writer = JvmProcess.start(Writer.class, PRINT, "churn", "--name", guarded)) {
            writer.awaitLine(line -> line.startsWith("[writer] churning"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, PRINT, "check", "--name", guarded)) {
                finish(reader);
            }
            finish(writer);
        }
        // Both sides have exited and their output is printed: this line is always the last.
        System.out.println("[demo] done: all three stories ran to the end");
        return Cli.EXIT_OK;
    }

    /** Runs one program to its end, like one button click. */
    private static void step(Class<?> main, String... args) throws Exception {
        try (JvmProcess program = JvmProcess.start(main, PRINT, args)) {
            finish(program);
        }
    }

    private static void finish(JvmProcess program) throws Exception {
        int code = program.waitFor(TIMEOUT);
        if (code != 0) {
            throw new Cli.Failure(program + " exited with " + code);
        }
    }
}
