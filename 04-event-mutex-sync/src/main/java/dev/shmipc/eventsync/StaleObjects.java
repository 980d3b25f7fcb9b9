package dev.shmipc.eventsync;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.Holders;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code Client --remove-stale}: removes what a crashed run left on Linux or macOS, but only
 * objects that are this module's. The names are shared: 01's message writer maps
 * {@code www.cpp-blog.com} too, so each object is checked before it goes. The mapping must carry
 * {@link Contract#MARK} (a Java client made it) or, where the OS reports sizes exactly (Linux),
 * be exactly one record, as the article's C++ client makes it. No process may still use any of
 * them (Linux: {@link Holders}). An event or mutex must open as that kind of object. A name
 * that holds only part of an event or mutex (its creator was killed halfway) is removed if that
 * part is the size of a control block.
 *
 * <p>The same checks tell a client whose create found a name taken what holds it
 * ({@link #whyTaken}).
 */
final class StaleObjects {
    /** What was done with one object: the line that says it, and whether it was refused. */
    record Outcome(String line, boolean refused) {
    }

    private StaleObjects() {
    }

    /**
     * {@code Client --remove-stale}: one line per object, and exit 1 if an object was left. On
     * Windows there is nothing to remove.
     */
    static int run(Contract.Names names) {
        if (!OsFamily.current().isPosix()) {
            Cli.say("nothing to remove: Windows deletes the objects with their last handle");
            return Cli.EXIT_OK;
        }
        long refused = 0;
        for (Outcome outcome : remove(names)) {
            Cli.say(outcome.line());
            refused += outcome.refused() ? 1 : 0;
        }
        if (refused > 0) {
            throw new Cli.Failure("left " + refused + (refused == 1 ? " object" : " objects") + " in place, as said above");
        }
        return Cli.EXIT_OK;
    }

    /**
     * Checks and removes the four objects, in the order the client creates them. An object of
     * this module's that a process still uses (Linux, where {@link Holders} can tell) is left:
     * a live run is not a crashed one.
     */
    static List<Outcome> remove(Contract.Names names) {
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(removeMapping(names.mapping()));
        outcomes.add(removeEvent(names.serverNewData()));
        outcomes.add(removeEvent(names.clientReadFinish()));
        outcomes.add(removeMutex(names.lockMutex()));
        return outcomes;
    }

    private static Outcome removeMapping(String name) {
        String what = "mapping " + name;
        String why;
        int size;
        boolean abandoned = false;
        try (SharedMemory mapping = SharedMemory.open(name)) {
            why = whyNotThisModules(mapping);
            size = mapping.size();
            abandoned = size == Contract.MAPPING_SIZE && Holders.abandonedBlank(mapping);
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.NOT_FOUND) {
                return new Outcome(what + ": nothing there", false);
            }
            why = e.getMessage();
            size = 0;
        }
        if (why != null && abandoned) {
            // 04's size, nothing written, no process uses it: a client killed before its mark.
            return removed(what, SharedMemory.unlink(name), " (nothing written: its client was stopped before it"
                    + " marked it)");
        }
        if (why != null) {
            return new Outcome(what + ": not this module's: left it (" + why + ")", true);
        }
        Outcome used = inUse(what, name);
        return used != null ? used : removed(what, SharedMemory.unlink(name), size == FindData.SIZE
                ? " (one record and no mark: the article's C++ client's)" : "");
    }

    /**
     * The message for the client whose create found a name taken: another client's run, a crashed
     * one's (with the command that removes it), or another program's; null for any other failure.
     */
    static String whyTaken(IpcException e, Contract.Names names) {
        if (e.reason() != IpcException.Reason.ALREADY_EXISTS) {
            return null;
        }
        String other = e.objectName().equals(names.mapping()) ? whyNotThisModules(names.mapping()) : null;
        if (other != null) {
            return "'" + e.objectName() + "' exists and is not this module's (" + other
                    + "): another program uses the name (01's message writer also maps " + Contract.MAPPING + ")";
        }
        List<String> removeStale = new ArrayList<>(List.of("Client", "--" + Cli.REMOVE_STALE));
        removeStale.addAll(names.toArgs());
        return "'" + e.objectName() + "' exists: another client is running" + (OsFamily.current().isPosix()
                ? ", or one that crashed left it (" + String.join(" ", removeStale) + " removes it)" : "");
    }

    /**
     * Why the mapping {@code name} is not this module's, or null if it is (or is gone, or cannot
     * be looked at: then nothing is claimed about it).
     */
    private static String whyNotThisModules(String name) {
        try (SharedMemory mapping = SharedMemory.open(name)) {
            return whyNotThisModules(mapping);
        } catch (IpcException e) {
            return null;
        }
    }

    private static String whyNotThisModules(SharedMemory mapping) {
        if (mapping.size() >= Contract.MAPPING_SIZE && mapping.getLongAcquire(Contract.MARK_OFFSET) == Contract.MARK) {
            return null; // a Java client's
        }
        if (mapping.size() == FindData.SIZE && OsFamily.current() == OsFamily.LINUX) {
            return null; // exactly one record: the article's C++ client's, where sizes are exact
        }
        return mapping.size() + " bytes without 04's mark (04's client makes " + Contract.MAPPING_SIZE
                + " bytes that end in it)";
    }

    private static Outcome removeEvent(String name) {
        try {
            NamedEvent.open(name).close(); // opens only as an event: another kind is refused
        } catch (IpcException e) {
            return notWhole("event " + name, name, e, NamedEvent::unlink);
        }
        Outcome used = inUse("event " + name, name);
        return used != null ? used : removed("event " + name, NamedEvent.unlink(name), "");
    }

    private static Outcome removeMutex(String name) {
        try {
            NamedMutex.open(name).close();
        } catch (IpcException e) {
            return notWhole("mutex " + name, name, e, NamedMutex::unlink);
        }
        Outcome used = inUse("mutex " + name, name);
        return used != null ? used : removed("mutex " + name, NamedMutex.unlink(name), "");
    }

    /** The name does not open as a whole event or mutex: another kind, nothing, or part of one? */
    private static Outcome notWhole(String what, String name, IpcException e, Predicate<String> unlink) {
        if (e.reason() != IpcException.Reason.NOT_FOUND) {
            return new Outcome(what + ": not this module's: left it (" + e.getMessage() + ")", true);
        }
        return removeIncomplete(what, name, unlink);
    }

    /** Is part of an event or mutex there? */
    private static Outcome removeIncomplete(String what, String name, Predicate<String> unlink) {
        int size;
        try (SharedMemory part = SharedMemory.open(name)) {
            size = part.size();
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.NOT_FOUND) {
                return new Outcome(what + ": not this module's: left it (" + e.getMessage() + ")", true);
            }
            // No control block. A semaphore alone is what is left, if anything.
            return unlink.test(name) ? new Outcome(what + ": removed (a semaphore without its control block)", false)
                    : new Outcome(what + ": nothing there", false);
        }
        boolean controlBlock = OsFamily.current() == OsFamily.LINUX ? size == NamedEvent.POSIX_CONTROL_BLOCK_SIZE
                : size <= 16 * 1024; // rounded up to a page elsewhere
        if (!controlBlock) {
            return new Outcome(what + ": not this module's: left it (a mapping of " + size + " bytes)", true);
        }
        return removed(what, unlink.test(name), " (half made: its creator was stopped before it finished)");
    }

    /** The refusal for an object that other processes still use, or null if none does (or none can tell). */
    private static Outcome inUse(String what, String name) {
        List<Long> users = Holders.of(name).orElse(List.of());
        if (users.isEmpty()) {
            return null;
        }
        return new Outcome(what + ": in use by process " + users.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ": a run is still going: left it", true);
    }

    private static Outcome removed(String what, boolean removed, String note) {
        return new Outcome(what + (removed ? ": removed" + note : ": nothing there"), false);
    }
}
