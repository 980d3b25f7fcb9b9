package dev.shmipc.common.program;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliTest {
    private static final Set<String> OPTIONS = Set.of("name", "rounds");
    private static final Set<String> FLAGS = Set.of("verbose");

    @Test
    void parsesPositionalsOptionsAndFlags() {
        Cli.Args args = Cli.Args.parse(new String[] {"frames", "--name", "x", "--rounds=3", "--verbose"}, OPTIONS, FLAGS);
        assertEquals(List.of("frames"), args.positional(1));
        assertEquals("x", args.option("name", "d"));
        assertEquals(3, args.intOption("rounds", 10, 1, 100));
        assertTrue(args.flag("verbose"));
        assertEquals(10, Cli.Args.parse(new String[0], OPTIONS, FLAGS).intOption("rounds", 10, 1, 100));
        assertFalse(Cli.Args.parse(new String[0], OPTIONS, FLAGS).flag("verbose"));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertEquals("unknown option '--nope'", usageError("--nope"));
        assertEquals("option --name needs a value", usageError("--name"));
        assertEquals("option --name is given twice", usageError("--name", "a", "--name", "b"));
        assertEquals("--rounds must be a whole number, not 'ten'",
                assertThrows(Cli.UsageException.class, () -> parse("--rounds", "ten").intOption("rounds", 1, 1, 9))
                        .getMessage());
        assertEquals("--rounds must be between 1 and 9, not 0",
                assertThrows(Cli.UsageException.class, () -> parse("--rounds", "0").intOption("rounds", 1, 1, 9))
                        .getMessage());
        assertEquals("unexpected argument 'extra'",
                assertThrows(Cli.UsageException.class, () -> parse("frames", "extra").positional(1)).getMessage());
    }

    @Test
    void theModeIsOneOfAFewWords() {
        assertEquals("message", parse("message").mode("frames", "message"));
        assertEquals("a mode is required (frames or message)",
                assertThrows(Cli.UsageException.class, () -> parse().mode("frames", "message")).getMessage());
        assertEquals("unknown mode 'x' (expected frames, message or watch)",
                assertThrows(Cli.UsageException.class, () -> parse("x").mode("frames", "message", "watch")).getMessage());
        assertEquals("unexpected argument 'y'",
                assertThrows(Cli.UsageException.class, () -> parse("frames", "y").mode("frames")).getMessage());
    }

    @Test
    void expectedFailuresAreOneLineAndAnExitCode() {
        assertEquals(Cli.EXIT_USAGE, runCapturing(args -> {
            throw new Cli.UsageException("unknown mode 'x'");
        }).exitCode);
        Result failure = runCapturing(args -> {
            throw new IpcException("shm_open", "demo", 2, "No such file or directory", IpcException.Reason.NOT_FOUND);
        });
        assertEquals(Cli.EXIT_FAILURE, failure.exitCode);
        assertEquals("[tool] error: shm_open 'demo' failed: No such file or directory ("
                + (OsFamily.current() == OsFamily.WINDOWS ? "error" : "errno") + " 2)" + System.lineSeparator(),
                failure.stderr);
        Result usage = runCapturing(args -> {
            throw new Cli.UsageException("unknown mode 'x'");
        });
        assertEquals("[tool] error: unknown mode 'x' (run with --help for usage)" + System.lineSeparator(), usage.stderr);
        assertEquals(Cli.EXIT_OK, runCapturing(args -> Cli.EXIT_OK).exitCode);
    }

    @Test
    void helpPrintsTheUsageOnStandardOutputAndSucceeds() {
        for (String help : List.of("--help", "-h")) {
            Result result = runCapturing(args -> {
                throw new AssertionError("the program must not run when help is asked for");
            }, "--bogus", help, "extra");
            assertEquals(Cli.EXIT_OK, result.exitCode, help);
            assertEquals("usage: tool MODE" + System.lineSeparator(), result.stdout, help);
            assertEquals("", result.stderr, help);
        }
    }

    @Test
    void holdAndRemoveStaleAreSpelledOnce() {
        Cli.Args args = Cli.Args.parse(new String[] {"--hold", "0", "--remove-stale"}, Set.of(Cli.HOLD),
                Set.of(Cli.REMOVE_STALE));
        assertEquals(java.time.Duration.ZERO, args.hold(60));
        assertTrue(args.removeStale());
        assertEquals(java.time.Duration.ofSeconds(60), parse().hold(60));
        assertEquals("--hold must be between 0 and 86400, not -1", assertThrows(Cli.UsageException.class,
                () -> Cli.Args.parse(new String[] {"--hold", "-1"}, Set.of(Cli.HOLD), Set.of()).hold(60)).getMessage());
    }

    @Test
    void anUnsupportedSystemOrMissingLibraryIsOneLineToo() {
        Result unsupported = runCapturing(args -> {
            throw new UnsupportedOperationException("named shared memory is not supported on Plan 9");
        });
        assertEquals(Cli.EXIT_FAILURE, unsupported.exitCode);
        assertEquals("[tool] error: named shared memory is not supported on Plan 9" + System.lineSeparator(),
                unsupported.stderr);
        Result noLibrary = runCapturing(args -> {
            throw new UnsatisfiedLinkError("libc.so.6: not found");
        });
        assertEquals(Cli.EXIT_FAILURE, noLibrary.exitCode);
        assertEquals("[tool] error: cannot load the native libraries: libc.so.6: not found" + System.lineSeparator(),
                noLibrary.stderr);
    }

    @Test
    void awaitEnterTellsEnterEndOfInputAndTimeout() throws Exception {
        java.io.InputStream saved = System.in;
        try (java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
             java.io.PipedInputStream silent = new java.io.PipedInputStream(keyboard)) {
            System.setIn(new java.io.ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("Enter pressed", Cli.awaitEnter(java.time.Duration.ofSeconds(30)));
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            assertEquals("end of input", Cli.awaitEnter(java.time.Duration.ofSeconds(30)));
            System.setIn(silent); // open, and nothing typed
            assertEquals(null, Cli.awaitEnter(java.time.Duration.ofMillis(200)));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void unexpectedExceptionsAreNotHidden() {
        assertThrows(IllegalStateException.class, () -> runCapturing(args -> {
            throw new java.io.IOException("disk on fire");
        }));
    }

    private static Cli.Args parse(String... argv) {
        return Cli.Args.parse(argv, OPTIONS, FLAGS);
    }

    private static String usageError(String... argv) {
        return assertThrows(Cli.UsageException.class, () -> parse(argv)).getMessage();
    }

    private static final class Result {
        int exitCode;
        String stdout;
        String stderr;
    }

    private static Result runCapturing(Cli.Program program, String... argv) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        Result result = new Result();
        try (PrintStream out = new PrintStream(capturedOut, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(capturedErr, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            System.setErr(err);
            result.exitCode = Cli.run("tool", "tool MODE", OPTIONS, FLAGS, argv, program);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        result.stdout = capturedOut.toString(StandardCharsets.UTF_8);
        result.stderr = capturedErr.toString(StandardCharsets.UTF_8);
        return result;
    }
}
