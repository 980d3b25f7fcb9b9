package dev.shmipc.basic;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Runs both sides of this module as separate JVMs and prints their output as it arrives:
 * the frames of article 000, the message of article 004, then torn reads. Needs no input: where a
 * writer waits for Enter, the demo says so and sends it. Object names carry this process's id,
 * so the demo never meets another run's objects.
 */
public final class Demo {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Demo() {
    }

    public static void main(String[] args) {
        Cli.main("demo", "Demo", Set.of(), Set.of(), args, a -> {
            a.positional(0);
            run("-" + ProcessHandle.current().pid());
            return Cli.EXIT_OK;
        });
    }

    /** The three steps, on names that end in {@code suffix}. */
    static void run(String suffix) throws Exception {
        String frames = Contract.FRAMES_NAME + suffix;
        String message = Contract.MESSAGE_NAME + suffix;

        Cli.say("1. article 000: the writer writes a new 100-byte frame every 500 ms; the reader reads every 500 ms");
        try (JvmProcess writer = JvmProcess.start(Writer.class, System.out::println,
                "frames", "--name", frames, "--rounds", "6", "--interval-ms", "500")) {
            awaitLine(writer, "[writer] created");
            try (JvmProcess reader = JvmProcess.start(Reader.class, System.out::println,
                    "frames", "--name", frames, "--rounds", "4", "--interval-ms", "500")) {
                expectSuccess(reader);
            }
            awaitLine(writer, "[writer] holding");
            pressEnter(writer);
            expectSuccess(writer);
        }

        Cli.say("2. article 004 part 1: a UTF-16 string in a 2048-byte mapping");
        try (JvmProcess writer = JvmProcess.start(Writer.class, System.out::println, "message", "--name", message)) {
            awaitLine(writer, "[writer] holding");
            try (JvmProcess reader = JvmProcess.start(Reader.class, System.out::println,
                    "message", "--name", message)) {
                expectSuccess(reader);
            }
            pressEnter(writer);
            expectSuccess(writer);
        }

        // A writer orphaned by a killed demo reads the end of its input and stops.
        Cli.say("3. no synchronisation: the writer rewrites the frame nonstop while the reader copies it for 2 s");
        try (JvmProcess writer = JvmProcess.start(Writer.class, System.out::println,
                "frames", "--name", frames, "--nonstop", "--interval-ms", "0", "--quiet", "--hold", "60")) {
            awaitLine(writer, "[writer] writing round after round");
            try (JvmProcess reader = JvmProcess.start(Reader.class, System.out::println,
                    "watch", "--name", frames, "--seconds", "2")) {
                expectSuccess(reader);
            }
            pressEnter(writer);
            expectSuccess(writer);
        }
        Cli.say("done; see 01-basic-write-read/README.md for what this shows");
    }

    /** What a user at the writer's terminal would do, said before it is done. */
    private static void pressEnter(JvmProcess writer) {
        Cli.say("pressing Enter for the writer");
        writer.writeLine("");
    }

    /** Waits for a line that starts with {@code prefix}; a failed step is one line naming its cause. */
    private static void awaitLine(JvmProcess process, String prefix) throws Exception {
        try {
            process.awaitLine(line -> line.startsWith(prefix), TIMEOUT);
        } catch (TimeoutException e) {
            if (process.isAlive()) {
                throw new Cli.Failure(process + " printed no line starting '" + prefix + "' within "
                        + TIMEOUT.toSeconds() + " s");
            }
            expectSuccess(process);
            throw new Cli.Failure(process + " exited without printing a line starting '" + prefix + "'");
        }
    }

    private static void expectSuccess(JvmProcess process) throws Exception {
        int code;
        try {
            code = process.waitFor(TIMEOUT);
        } catch (TimeoutException e) {
            throw new Cli.Failure(process + " did not exit within " + TIMEOUT.toSeconds() + " s, and was killed");
        }
        if (code != 0) {
            throw new Cli.Failure(process + " exited with " + code
                    + (process.stderr().isEmpty() ? "" : ": " + String.join(" ", process.stderr())));
        }
    }
}
