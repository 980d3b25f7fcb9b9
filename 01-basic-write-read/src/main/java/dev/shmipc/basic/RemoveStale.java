package dev.shmipc.basic;

import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.List;

/**
 * What a writer does about a name that is taken: on Linux and macOS a name outlives its creator,
 * so a killed writer leaves its object behind. {@link #run} is {@code Writer --remove-stale},
 * which removes such an object and nothing else; {@link #whyTaken} is the advice a writer gives
 * when it cannot create its object. Both judge by {@link Leftover}.
 */
final class RemoveStale {
    private RemoveStale() {
    }

    /**
     * {@code Writer frames|message --remove-stale}: removes what a killed writer of {@code area}
     * left under the name, after checking that it is one; never another program's object, never
     * one a process still has mapped. One line, exit 0 if nothing was refused, 1 if something was.
     */
    static int run(Cli.Args args, Contract.Area area) {
        for (String other : List.of("rounds", "interval-ms", "text", Cli.HOLD)) {
            if (args.option(other, null) != null) {
                throw new Cli.UsageException("--" + other + " does not go with --" + Cli.REMOVE_STALE);
            }
        }
        for (String other : List.of("quiet", "nonstop")) {
            if (args.flag(other)) {
                throw new Cli.UsageException("--" + other + " does not go with --" + Cli.REMOVE_STALE);
            }
        }
        boolean frames = area == Contract.Area.FRAMES;
        String name = args.option("name", frames ? Contract.FRAMES_NAME : Contract.MESSAGE_NAME);
        int size = frames ? args.intOption("size", Contract.FRAME_SIZE, 1, Contract.MAX_FRAME_SIZE)
                : args.intOption("size", Contract.MESSAGE_SIZE, 2, Contract.MAX_SIZE);
        if (OsFamily.current() == OsFamily.WINDOWS) {
            Cli.say("nothing to remove on Windows: a mapping disappears with its last handle");
            return Cli.EXIT_OK;
        }
        Leftover found = Leftover.inspect(name, area, size);
        switch (found.state) {
            case NOTHING:
                Cli.say("nothing there: " + found.detail);
                return Cli.EXIT_OK;
            case STALE:
                // Between the look and this call another process could replace the object; the
                // window is as short as it can be without a lock that every program would take.
                Cli.say(SharedMemory.unlink(name) ? "removed " + name + ": " + found.detail
                        : "nothing there: " + name + " was removed meanwhile");
                return Cli.EXIT_OK;
            case IN_USE:
                Cli.say("in use, left it: " + name + " is " + found.detail);
                return Cli.EXIT_FAILURE;
            case NOT_OURS:
                Cli.say("not this module's, left it: " + name + ": " + found.detail);
                return Cli.EXIT_FAILURE;
            default:
                Cli.say("cannot read it, left it: " + found.detail);
                return Cli.EXIT_FAILURE;
        }
    }

    /** Why a writer of {@code area} finds {@code name} taken, as far as this process can tell, and what to do. */
    static String whyTaken(String name, Contract.Area area, int size) {
        String taken = "shared memory '" + name + "' already exists";
        if (OsFamily.current() == OsFamily.WINDOWS) {
            return taken + ": a running process holds it (Windows removes a mapping with its last handle);"
                    + " stop that process, or choose another --name";
        }
        String removeStale = "Writer " + area.mode() + " --" + Cli.REMOVE_STALE + " --name " + name
                + (size == area.defaultSize() ? "" : " --size " + size);
        Leftover found = Leftover.inspect(name, area, size);
        switch (found.state) {
            case NOTHING:
                return taken + ", and was removed since; try again";
            case IN_USE:
                return taken + ": " + found.detail + "; stop that process, or choose another --name";
            case STALE:
                return Leftover.usersVisible()
                        ? taken + ": " + found.detail + ", as a killed writer leaves it; remove it with: " + removeStale
                        : taken + ": " + found.detail + "; another writer is running, or a killed one left it;"
                                + " if none is running, remove it with: " + removeStale;
            case NOT_OURS:
                return taken + " and is not this writer's to remove: " + found.detail + "; choose another --name";
            default:
                return "the name '" + name + "' is taken by something this writer cannot read as shared memory: "
                        + found.detail + "; choose another --name";
        }
    }
}
