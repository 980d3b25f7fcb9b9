package dev.shmipc.structs;

import dev.shmipc.common.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;

/** Creating and opening this module's objects, with the next step in the message when it fails. */
final class NamedMemory {
    private NamedMemory() {
    }

    /** Creates {@code name}, removed on every exit (Ctrl-C included) unless the caller removes it first. */
    static SharedMemory create(String name, int size) {
        try {
            return SharedMemory.create(name, size).unlinkOnExit();
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.ALREADY_EXISTS) {
                throw e;
            }
            if (!OsFamily.current().isPosix()) {
                // A Windows mapping lives while any process holds a handle to it, a reader's too;
                // nothing outlives its handles, so there is nothing stale to remove.
                throw new Cli.Failure("shared memory named '" + name + "' already exists: another process has it"
                        + " open (a writer, or a program still attached to one)");
            }
            String remove = OsFamily.current() == OsFamily.LINUX ? " (rm /dev/shm/" + name + ")" : "";
            throw new Cli.Failure("shared memory named '" + name + "' already exists: another writer is running,"
                    + " or one was killed and left the name behind" + remove);
        }
    }

    /** Opens {@code name}, which must hold at least {@code minimumSize} bytes. */
    static SharedMemory open(String name, int minimumSize) {
        try {
            return SharedMemory.open(name, minimumSize);
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.NOT_FOUND) {
                throw e;
            }
            throw new Cli.Failure("no shared memory named '" + name + "'; start the writer first");
        }
    }
}
