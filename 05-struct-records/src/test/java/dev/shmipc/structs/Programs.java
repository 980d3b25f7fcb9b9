package dev.shmipc.structs;

import dev.shmipc.common.program.JvmProcess;
import java.time.Duration;
import java.util.List;

/** Runs the module's programs as separate JVMs for the integration tests. */
final class Programs {
    /** Generous: the machines that run the tests may be small and busy. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Programs() {
    }

    /** A program that ran to its end. */
    record Ran(int code, List<String> stdout, List<String> stderr) {
        /** The one standard-output line that starts with {@code prefix}. */
        String line(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> {
                throw new AssertionError("two lines start with '" + prefix + "': " + stdout);
            }).orElseThrow(() -> new AssertionError("no line starts with '" + prefix + "': " + stdout
                    + ", errors: " + stderr));
        }

        /** The last standard-output line that starts with {@code prefix}. */
        String lastLine(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no line starts with '" + prefix + "': " + stdout));
        }

        /** The error line: standard error must hold exactly one. */
        String error() {
            if (stderr.size() != 1) {
                throw new AssertionError("not one error line: " + stderr + ", output: " + stdout);
            }
            return stderr.get(0);
        }
    }

    /** Runs {@code main} to its end, or kills it after {@link #TIMEOUT} (then the test fails). */
    static Ran run(Class<?> main, String... args) throws Exception {
        try (JvmProcess program = JvmProcess.start(main, args)) {
            return finish(program);
        }
    }

    /** Waits for a started program to end. */
    static Ran finish(JvmProcess program) throws Exception {
        int code = program.waitFor(TIMEOUT);
        return new Ran(code, program.stdout(), program.stderr());
    }
}
