package dev.shmipc.structs;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.Processes;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.Holders;
import dev.shmipc.structs.Contract.Kind;
import java.util.Set;

/**
 * What is under a name a writer wants (Linux and macOS, where a name outlives its creator), and
 * the writers' {@code --remove-stale}: it removes the object only if it carries this module's
 * {@link Contract} tag and the writer whose pid the tag holds has ended.
 *
 * @param why for {@link Status#FOREIGN}, why it is left alone: "not this module's: ..." or
 *            "it cannot be checked: ..."
 */
record Leftover(String name, Status status, Kind kind, long pid, String why) {
    /** What an object of a name turned out to be. */
    enum Status {
        /** No object of that name. */
        NONE,
        /** One of this module's, and the process that made it has ended. */
        STALE,
        /** One of this module's, and the process that made it still runs. */
        LIVE,
        /** Not one of this module's, or not checkable: to be left alone. */
        FOREIGN
    }

    /** What it is, for a message: {@code "the tick table of 'TickWriter' (pid 42)"}. */
    String what() {
        return kind == null ? "an object with no tag and nothing written, which no process uses (a writer"
                + " stopped before it tagged it)" : kind.description() + " (pid " + pid + ")";
    }

    /**
     * Looks at the object called {@code name} without changing it: the tag's kind, and whether
     * its writer still runs ({@link Processes#isAlive}, which counts a zombie as ended).
     */
    static Leftover inspect(String name) {
        SharedMemory shm;
        try {
            shm = SharedMemory.open(name);
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.NOT_FOUND) {
                return new Leftover(name, Status.NONE, null, 0, null);
            }
            return new Leftover(name, Status.FOREIGN, null, 0, "it cannot be checked: " + e.getMessage());
        }
        try (shm) {
            if (shm.size() < Contract.TAG_END) {
                return new Leftover(name, Status.FOREIGN, null, 0, "not this module's: it is " + shm.size()
                        + " bytes, too small for this module's tag" + (shm.size() == DelphiRecord.SIZE
                        ? ", a bare TMMFData such as 02-open-existing's Owner makes under the same default name" : ""));
            }
            Kind kind = Contract.kindOf(shm);
            if (kind == null) {
                if (madeButNeverWritten(shm)) {
                    return new Leftover(name, Status.STALE, null, 0, null);
                }
                return new Leftover(name, Status.FOREIGN, null, 0, "not this module's: it carries no"
                        + " 05-struct-records tag at offset " + Contract.TAG_OFFSET);
            }
            long pid = Contract.writerPid(shm);
            return new Leftover(name, Processes.isAlive(pid) ? Status.LIVE : Status.STALE, kind, pid, null);
        }
    }

    /**
     * What a writer killed between creating and tagging its object leaves: an object of a size
     * this module's writers make, blank, that no process uses ({@link Holders#abandonedBlank}).
     * No other program's object holds only zeros and nothing else, so it may go.
     */
    private static boolean madeButNeverWritten(SharedMemory shm) {
        int size = shm.size();
        boolean ourSize = size == Contract.RECORD_OBJECT_SIZE || size == GuardedRecord.SIZE
                || size > TickTable.HEADER_SIZE && (size - TickTable.HEADER_SIZE) % TickTable.SLOT_SIZE == 0;
        return ourSize && Holders.abandonedBlank(shm);
    }

    /**
     * A writer's {@code --remove-stale [--name NAME]}: removes what a killed writer of this
     * module left under the name (the writer's {@code defaultName} without {@code --name}), and
     * says so in one line; exit 1 if it left something alone.
     */
    static int removeStale(Cli.Args args, Set<String> options, String defaultName) {
        for (String option : options) {
            if (!option.equals("name") && args.option(option, null) != null) {
                throw new Cli.UsageException("--" + Cli.REMOVE_STALE + " takes no option but --name, not --" + option);
            }
        }
        args.positional(0);
        String name = args.option("name", defaultName);
        ObjectName.of(name); // a bad name is a usage error, before anything is touched
        if (!OsFamily.current().isPosix()) {
            Cli.say("nothing to remove for '" + name + "' on Windows: a mapping disappears with its last handle");
            return Cli.EXIT_OK;
        }
        Leftover found = inspect(name);
        switch (found.status()) {
            case NONE:
                Cli.say("nothing named '" + name + "' to remove");
                return Cli.EXIT_OK;
            case LIVE:
                Cli.say("left '" + name + "' alone: it is " + found.what() + ", which is still running");
                return Cli.EXIT_FAILURE;
            case FOREIGN:
                Cli.say("left '" + name + "' alone, " + found.why());
                return Cli.EXIT_FAILURE;
            default:
                // A new object of this name could appear between the look and the removal only if
                // something else removed this one first; nothing in this project does.
                if (SharedMemory.unlink(name)) {
                    Cli.say("removed '" + name + "': " + found.what()
                            + (found.kind() == null ? "" : ", which had ended and left it behind"));
                } else {
                    Cli.say("nothing named '" + name + "' to remove (it went meanwhile)");
                }
                return Cli.EXIT_OK;
        }
    }
}
