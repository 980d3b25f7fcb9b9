package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.structs.Programs.Ran;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code --help} and {@code -h} in every program: the usage on standard output, exit 0, nothing run. */
class CommandLineIT {
    @Test
    void helpPrintsTheUsageOfEveryProgram() throws Exception {
        for (String help : List.of("--help", "-h")) {
            assertHelp(Programs.run(RecordWriter.class, help), RecordWriter.USAGE);
            // Wins over an action, and over arguments that would be wrong.
            assertHelp(Programs.run(RecordWriter.class, "create", "--hold", "never", help), RecordWriter.USAGE);
            assertHelp(Programs.run(RecordReader.class, help), RecordReader.USAGE);
            assertHelp(Programs.run(TickWriter.class, "--records", "0", help), TickWriter.USAGE);
            assertHelp(Programs.run(TickReader.class, help), TickReader.USAGE);
            assertHelp(Programs.run(TornWriter.class, help), TornWriter.USAGE);
            assertHelp(Programs.run(TornReader.class, help), TornReader.USAGE);
            assertHelp(Programs.run(Demo.class, help), Demo.USAGE);
        }
    }

    @Test
    void aBadArgumentIsOneLineWithTheHint() throws Exception {
        Ran ran = Programs.run(TornReader.class, "--copies", "0");
        assertEquals(Cli.EXIT_USAGE, ran.code());
        assertEquals(List.of("[reader] error: --copies must be between 1 and 2147483647, not 0 " + Cli.HELP_HINT),
                ran.stderr());
        ran = Programs.run(RecordWriter.class, "create", "--hold", "-1");
        assertEquals(Cli.EXIT_USAGE, ran.code());
        assertEquals(List.of("[writer] error: --hold must be between 0 and 86400, not -1 " + Cli.HELP_HINT),
                ran.stderr());
        ran = Programs.run(TickReader.class, "ticks");
        assertEquals(Cli.EXIT_USAGE, ran.code());
        assertEquals(List.of("[reader] error: unexpected argument 'ticks' " + Cli.HELP_HINT), ran.stderr());
    }

    @Test
    @EnabledOnOs(OS.WINDOWS) // a mapping cannot outlive its processes there: nothing is ever stale
    void removeStaleHasNothingToRemoveOnWindows() throws Exception {
        String name = TestNames.unique("win");
        Ran ran = Programs.run(RecordWriter.class, "--remove-stale", "--name", name);
        assertEquals(Cli.EXIT_OK, ran.code(), ran.stderr().toString());
        assertEquals(List.of("[writer] nothing to remove for '" + name + "' on Windows: a mapping disappears with its"
                + " last handle"), ran.stdout());
    }

    private static void assertHelp(Ran ran, String usage) {
        assertEquals(0, ran.code(), ran.stderr().toString());
        assertEquals(List.of("usage: " + usage), ran.stdout());
        assertEquals(List.of(), ran.stderr());
    }
}
