package dev.shmipc.structs;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.structs.Contract.Kind;

/** Creating and opening this module's objects, with the next step in the message when it fails. */
final class NamedMemory {
    private NamedMemory() {
    }

    /**
     * Creates {@code name} with this process's {@link Contract} tag of {@code kind} in it, removed
     * on every exit (Ctrl-C included) unless the caller removes it first. A name that is taken is
     * looked at, never changed, and the message says whose it is.
     */
    static SharedMemory create(String name, int size, Kind kind) {
        SharedMemory shm = Cli.attach(() -> SharedMemory.create(name, size).unlinkOnExit(),
                e -> e.reason() == IpcException.Reason.ALREADY_EXISTS ? taken(name, kind) : null);
        Contract.tag(shm, kind);
        return shm;
    }

    /** Why {@code name} cannot be created: what the object that has it is. */
    private static String taken(String name, Kind creating) {
        String exists = "shared memory named '" + name + "' already exists";
        if (!OsFamily.current().isPosix()) {
            // A Windows mapping lives while any process holds a handle to it, a reader's too;
            // nothing outlives its handles, so there is nothing stale to remove.
            return exists + ": another process has it open (a writer, or a program still attached to one)";
        }
        Leftover found = Leftover.inspect(name);
        switch (found.status()) {
            case LIVE:
                return exists + ": it is " + found.what() + ", which is still running; stop it, or use another --name";
            case STALE:
                return exists + ": it is " + found.what() + ", which is gone and left it behind; remove it with: "
                        + creating.writer + " --remove-stale --name " + name;
            case FOREIGN:
                return exists + ", " + found.why() + "; left it alone: use another --name";
            default:
                return exists + ", and was removed meanwhile; try again";
        }
    }

    /**
     * Opens {@code name}, an object of {@code kind} that must hold at least {@code minimumSize}
     * bytes; when there is none, the message names the command that creates it.
     */
    static SharedMemory open(String name, int minimumSize, Kind kind) {
        return Cli.attach(() -> SharedMemory.open(name, minimumSize),
                e -> e.reason() != IpcException.Reason.NOT_FOUND ? null : "no shared memory named '" + name + "'; '"
                        + kind.creator + (name.equals(kind.defaultName) ? "" : " --name " + name)
                        + "' creates it: start that first");
    }

    /**
     * Removes the name of an object this program created, and says what happened: on POSIX
     * another program may have removed the name first (nothing is then removed twice).
     */
    static String remove(SharedMemory shm) {
        if (shm.unlink()) {
            return "removed '" + shm.name() + "'";
        }
        return OsFamily.current().isPosix() ? "'" + shm.name() + "' was gone already: another program removed the name"
                : "closed '" + shm.name() + "': Windows deletes a mapping with its last handle";
    }
}
