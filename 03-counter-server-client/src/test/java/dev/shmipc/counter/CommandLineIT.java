package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every program of the module: {@code --help} and {@code -h}, and bad arguments in one line with exit 2. */
class CommandLineIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static List<Arguments> help() {
        return List.of(
                Arguments.of(Server.class, "--help", Server.USAGE),
                Arguments.of(Client.class, "-h", Client.USAGE),
                Arguments.of(Race.class, "--help", Race.USAGE),
                Arguments.of(RaceWorker.class, "-h", RaceWorker.USAGE),
                Arguments.of(Demo.class, "--help", Demo.USAGE));
    }

    @ParameterizedTest
    @MethodSource
    void help(Class<?> program, String flag, String usage) throws Exception {
        // Together with an option that would fail: the usage wins, and nothing runs.
        try (JvmProcess p = JvmProcess.start(program, "--rounds", "x", flag)) {
            assertEquals(0, p.waitFor(TIMEOUT), p.stderr().toString());
            assertEquals(("usage: " + usage).lines().toList(), p.stdout());
            assertEquals(List.of(), p.stderr());
        }
    }

    static List<Arguments> badArguments() {
        return List.of(
                Arguments.of(Server.class, "server", List.of("--hold-seconds", "3"), "unknown option '--hold-seconds'"),
                Arguments.of(Server.class, "server", List.of("--name", "a/b"), "invalid name 'a/b'"),
                Arguments.of(Client.class, "client", List.of("--wait", "-1"), "--wait must be between 0 and"),
                Arguments.of(Client.class, "client", List.of("extra"), "unexpected argument 'extra'"),
                Arguments.of(Race.class, "race", List.of("--mode", "fast"), "unknown --mode 'fast': use all, plain,"),
                // Before: the race announced itself first, then refused the name.
                Arguments.of(Race.class, "race", List.of("--name", "a/b"), "invalid name 'a/b'"),
                Arguments.of(Race.class, "race", List.of("--remove-stale", "--mode", "plain"),
                        "--remove-stale removes and exits"),
                Arguments.of(RaceWorker.class, "race-worker", List.of("--mode", "all"), "unknown --mode 'all': use plain,"),
                Arguments.of(RaceWorker.class, "race-worker", List.of("--name", ""), "invalid name ''"),
                Arguments.of(Demo.class, "demo", List.of("--rounds", "0"), "--rounds must be between 1 and"),
                // Before: the demo started the client, which refused the name, and exited 1.
                Arguments.of(Demo.class, "demo", List.of("--name", "a/b"), "invalid name 'a/b'"));
    }

    @ParameterizedTest
    @MethodSource
    void badArguments(Class<?> program, String role, List<String> args, String says) throws Exception {
        try (JvmProcess p = JvmProcess.start(program, args.toArray(String[]::new))) {
            assertEquals(2, p.waitFor(TIMEOUT), p.stdout() + " " + p.stderr());
            assertEquals(List.of(), p.stdout(), "nothing ran");
            String error = Transcript.onlyLine(p.stderr());
            assertTrue(error.startsWith("[" + role + "] error: " + says), error);
            assertTrue(error.endsWith(" " + Cli.HELP_HINT), error);
        }
    }
}
