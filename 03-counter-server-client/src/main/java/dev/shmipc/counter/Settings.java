package dev.shmipc.counter;

import dev.shmipc.common.ObjectName;
import dev.shmipc.common.program.Cli;

/**
 * What one side of the exchange is told on its command line, read the same way by the server and
 * the client; and the one way every program of the module reads {@code --name}.
 *
 * @param name        the object's name, {@code --name}
 * @param rounds      how many times this side checks the other, {@code --rounds}
 * @param sleepMillis its pause per round, {@code --sleep}
 */
record Settings(String name, int rounds, int sleepMillis) {
    /** The settings on the command line, with the article's defaults and {@code defaultSleepMillis}. */
    static Settings of(Cli.Args args, int defaultSleepMillis) {
        String name = name(args, Contract.NAME);
        return new Settings(name, args.intOption("rounds", Contract.ROUNDS, 1, 1_000_000),
                args.intOption("sleep", defaultSleepMillis, 0, 3_600_000));
    }

    /**
     * {@code --name}, or {@code fallback}, checked at once: a bad name is a bad argument, found
     * before anything else. No program of the module takes a positional argument.
     */
    static String name(Cli.Args args, String fallback) {
        args.positional(0);
        String name = args.option("name", fallback);
        ObjectName.of(name);
        return name;
    }

    /** The name for {@code --remove-stale}, which removes and exits: none of {@code others} may be given. */
    static String nameOnly(Cli.Args args, String fallback, String... others) {
        String name = name(args, fallback);
        for (String option : others) {
            if (args.option(option, null) != null) {
                throw new Cli.UsageException("--remove-stale removes and exits: it takes only --name");
            }
        }
        return name;
    }
}
