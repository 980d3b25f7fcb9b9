package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.structs.WriterTag.Finding;

/** Creating and opening this module's objects, with the next step in the message when it fails. */
final class NamedMemory {
    private NamedMemory() {
    }

    /**
     * Creates {@code name} with this process's {@link WriterTag} of {@code kind} in it, removed on
     * every exit (Ctrl-C included) unless the caller removes it first. A name that is taken is
     * looked at, never changed, and the message says whose it is.
     */
    static SharedMemory create(String name, int size, WriterTag.Kind kind) {
        SharedMemory shm;
        try {
            shm = SharedMemory.create(name, size).unlinkOnExit();
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.ALREADY_EXISTS) {
                throw e;
            }
            throw new Cli.Failure(taken(name));
        }
        WriterTag.put(shm, kind);
        return shm;
    }

    /** Why {@code name} cannot be created: what the object that has it is. */
    private static String taken(String name) {
        String exists = "shared memory named '" + name + "' already exists";
        if (!OsFamily.current().isPosix()) {
            // A Windows mapping lives while any process holds a handle to it, a reader's too;
            // nothing outlives its handles, so there is nothing stale to remove.
            return exists + ": another process has it open (a writer, or a program still attached to one)";
        }
        Finding found = WriterTag.inspect(name);
        switch (found.status()) {
            case LIVE:
                return exists + ": it is " + found.what() + ", which is still running; stop it, or use another --name";
            case STALE:
                return exists + ": it is " + found.what() + ", which is gone and left it behind; remove it with: Writer"
                        + " --remove-stale" + nameOption(name, null);
            case FOREIGN:
                return exists + ", " + found.why() + "; left it alone: use another --name";
            default:
                return exists + ", and was removed meanwhile; try again";
        }
    }

    /**
     * Opens {@code name}, which must hold at least {@code minimumSize} bytes.
     *
     * @param creator the action that creates the object, for the hint when there is none:
     *                {@code "Writer create"}
     * @param defaultName the name the creator uses without {@code --name}
     */
    static SharedMemory open(String name, int minimumSize, String creator, String defaultName) {
        try {
            return SharedMemory.open(name, minimumSize);
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.NOT_FOUND) {
                throw e;
            }
            throw new Cli.Failure("no shared memory named '" + name + "'; '" + creator + nameOption(name, defaultName)
                    + "' creates it: start that first");
        }
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

    /** {@code " --name NAME"}, or nothing when {@code name} is the default. */
    static String nameOption(String name, String defaultName) {
        return name.equals(defaultName) ? "" : " --name " + name;
    }
}
