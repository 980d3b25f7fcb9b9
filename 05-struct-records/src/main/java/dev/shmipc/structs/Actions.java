package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import java.util.Set;
import java.util.TreeSet;

/** The one check the programs' actions share: an option meant for another action is an error. */
final class Actions {
    private Actions() {
    }

    /**
     * Fails if {@code args} has any of {@code options} that {@code action} does not take, so that
     * {@code show --index 3} is a usage error rather than an option quietly ignored.
     */
    static void allow(Cli.Args args, String action, Set<String> options, String... taken) {
        Set<String> others = new TreeSet<>(options);
        others.removeAll(Set.of(taken));
        for (String option : others) {
            if (args.option(option, null) != null) {
                throw new Cli.UsageException("option --" + option + " does not apply to '" + action + "'");
            }
        }
    }
}
