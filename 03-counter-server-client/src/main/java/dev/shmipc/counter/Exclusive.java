package dev.shmipc.counter;

import dev.shmipc.common.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;

/**
 * Creating a program's own object ({@code O_CREAT|O_EXCL}), with the next step in the message
 * when the name is taken: the server and the race share the article's advice, "if
 * /dev/shm/test.shmem exists, remove it", and its cure, {@code --remove-stale}.
 */
final class Exclusive {
    private Exclusive() {
    }

    /**
     * Creates {@code name} with {@code size} bytes; if it exists, fails with a message that says
     * why it may and how to recover, naming {@code program} ("server", "race").
     */
    static SharedMemory create(String name, int size, String program) {
        try {
            return SharedMemory.create(name, size);
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.ALREADY_EXISTS) {
                throw e;
            }
            String nativeName = ObjectName.of(name).nativeName();
            if (!OsFamily.current().isPosix()) {
                // A Windows mapping lives while any process holds a handle to it (a client's
                // too) and dies with the last one: nothing is ever stale, someone has it open.
                throw new Cli.Failure(e.getMessage() + ". Another process has " + nativeName + " open: a " + program
                        + " that is running, or a program still attached to one.");
            }
            String where = OsFamily.current() == OsFamily.LINUX ? " (it is /dev/shm" + nativeName + ")" : "";
            throw new Cli.Failure(e.getMessage() + ". Either a " + program + " is running, or an earlier one died"
                    + " and left " + nativeName + " behind" + where + ". If no " + program + " is running, remove"
                    + " it: run the " + program + " with --remove-stale.");
        }
    }
}
