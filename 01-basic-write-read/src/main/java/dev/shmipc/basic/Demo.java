package dev.shmipc.basic;

import dev.shmipc.common.Cli;
import dev.shmipc.common.JvmProcess;
import java.time.Duration;
import java.util.Set;

/**
 * Runs both sides of this module as separate JVMs and prints their output as it arrives:
 * the frames of article 000, the message of article 004, then torn reads. Needs no input.
 * Object names carry this process's id, so the demo never meets another run's objects.
 */
public final class Demo {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Demo() {
    }

    public static void main(String[] args) {
        Cli.main("demo", "Demo", Set.of(), Set.of(), args, a -> {
            a.positional(0);
            run();
            return Cli.EXIT_OK;
        });
    }

    private static void run() throws Exception {
        String suffix = "-" + ProcessHandle.current().pid();
        String frames = Contract.FRAMES_NAME + suffix;
        String message = "www.cpp-blog.com" + suffix;

        say("1. article 000: the writer writes a new 100-byte frame every 500 ms; the reader reads every 500 ms");
        try (JvmProcess writer = JvmProcess.start(Writer.class, System.out::println,
                "frames", "--name", frames, "--rounds", "6", "--interval-ms", "500")) {
            writer.awaitLine(line -> line.startsWith("[writer] created"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, System.out::println,
                    "frames", "--name", frames, "--rounds", "4", "--interval-ms", "500")) {
                expectSuccess(reader);
            }
            writer.awaitLine(line -> line.startsWith("[writer] holding"), TIMEOUT);
            writer.writeLine(""); // Enter
            expectSuccess(writer);
        }

        say("2. article 004 part 1: a UTF-16 string in a 2048-byte mapping");
        try (JvmProcess writer = JvmProcess.start(Writer.class, System.out::println, "message", "--name", message)) {
            writer.awaitLine(line -> line.startsWith("[writer] holding"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, System.out::println,
                    "message", "--name", message)) {
                expectSuccess(reader);
            }
            writer.writeLine("");
            expectSuccess(writer);
        }

        // Bounded: a writer orphaned by a killed demo stops by itself within seconds.
        say("3. no synchronisation: the writer rewrites the frame nonstop while the reader copies it for 2 s");
        try (JvmProcess writer = JvmProcess.start(Writer.class, System.out::println,
                "frames", "--name", frames, "--rounds", "30000000", "--interval-ms", "0",
                "--quiet")) {
            writer.awaitLine(line -> line.startsWith("[writer] created"), TIMEOUT);
            try (JvmProcess reader = JvmProcess.start(Reader.class, System.out::println,
                    "watch", "--name", frames, "--seconds", "2")) {
                expectSuccess(reader);
            }
            writer.terminate(); // like Ctrl-C: the writer's shutdown hook removes the name
            writer.waitFor(TIMEOUT);
        }
        say("done; see 01-basic-write-read/README.md for what this shows");
    }

    private static void expectSuccess(JvmProcess process) throws Exception {
        int code = process.waitFor(TIMEOUT);
        if (code != 0) {
            throw new Cli.Failure(process + " exited with " + code);
        }
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
    }
}
