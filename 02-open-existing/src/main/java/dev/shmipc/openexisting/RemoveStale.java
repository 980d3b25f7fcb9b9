package dev.shmipc.openexisting;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.Holders;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an owner does about a name that is taken: on Linux and macOS a name outlives its creator,
 * so a killed owner, or one started with {@code --keep}, leaves its object behind. {@link #run}
 * is {@code Owner --remove-stale}, which removes such an object and nothing else; {@link #whyTaken}
 * is the reason an owner gives when it finds the name taken.
 *
 * <p>Nothing here removes an object because of its name alone: module 05 uses the same default
 * name, {@link Contract#DEFAULT_NAME}, and any other program may too.
 */
final class RemoveStale {
    /** What macOS reports for a 14-byte object: one page, 4 KiB on Intel, 16 KiB on Apple silicon. */
    private static final Set<Integer> MACOS_RECORD_SIZES = Set.of(4096, 16384);

    private RemoveStale() {
    }

    /**
     * Removes what a killed owner, or {@code --keep}, left under the name: only if it is this
     * module's and no process uses it. It is this module's if it has the record's size (exact on
     * Linux, one page on macOS) and nothing but {@code valint} was written to it; in use if a
     * process has it open or mapped (Linux; macOS cannot tell, and says so). Module 05's
     * {@code RecordWriter} makes the same 14-byte record under the same default name: a stale one
     * of those passes the same checks, since the bytes cannot tell the two apart.
     */
    static int run(ObjectName name) {
        String object = name.nativeName();
        if (!OsFamily.current().isPosix()) {
            Cli.say("nothing to remove: on Windows a mapping disappears with its last handle, so no run leaves "
                    + object + " behind");
            return Cli.EXIT_OK;
        }
        Optional<List<Long>> holders;
        try (SharedMemory shm = SharedMemory.open(name.name())) {
            String notOurs = notThisModules(shm);
            if (notOurs != null) {
                throw new Cli.Failure(object + " is not this module's: left it (" + notOurs + ")");
            }
            holders = Holders.of(name);
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.NOT_FOUND) {
                Cli.say("nothing to remove: there is no " + object);
                return Cli.EXIT_OK;
            }
            throw new Cli.Failure(object + " cannot be checked: left it (" + e.getMessage() + ")");
        }
        if (holders.isPresent() && !holders.get().isEmpty()) {
            throw new Cli.Failure(object + " is in use: left it (" + processes(holders.get())
                    + " has it open: a running owner, or another program using this name)");
        }
        if (!SharedMemory.unlink(name.name())) {
            Cli.say("nothing to remove: " + object + " was removed meanwhile");
        } else if (holders.isPresent()) {
            Cli.say("removed " + object + " (shm_unlink): a " + Contract.SIZE + "-byte TMMFData record, nothing but"
                    + " valint written, that no process has open");
        } else {
            Cli.say("removed " + object + " (shm_unlink): a TMMFData record by its size and contents; macOS cannot"
                    + " show whether a process still had it mapped");
        }
        return Cli.EXIT_OK;
    }

    /** Why an owner finds {@code name} taken, as far as this OS can tell, and what to do about it. */
    static String whyTaken(ObjectName name) {
        String leaves = "; this owner leaves it alone and exits";
        if (!OsFamily.current().isPosix()) {
            // A Windows mapping exists only while a process holds a handle to it.
            return "'" + name + "' is in use: another process has it open (another owner, or another program using"
                    + " this name)" + leaves;
        }
        Optional<List<Long>> holders = Holders.of(name);
        if (holders.isEmpty()) {
            return "'" + name + "' already exists: another owner holds it, or a run that ended without removing it"
                    + " (killed, or --keep) left it behind" + leaves + " (if no owner runs: Owner --remove-stale"
                    + " --name " + name + ")";
        }
        if (!holders.get().isEmpty()) {
            return "'" + name + "' is in use by " + processes(holders.get()) + " (another owner, or another program"
                    + " using this name)" + leaves;
        }
        return "'" + name + "' already exists and no process has it open: a run that ended without removing it"
                + " (killed, or --keep) left it behind" + leaves + " (Owner --remove-stale --name " + name
                + " removes it if it is this module's)";
    }

    /** Why {@code shm} is not this module's record, or null if it may be. */
    private static String notThisModules(SharedMemory shm) {
        int size = shm.size();
        if (OsFamily.current() == OsFamily.MACOS ? !MACOS_RECORD_SIZES.contains(size) : size != Contract.SIZE) {
            return "it is " + size + " bytes; this module's record is " + Contract.SIZE
                    + (OsFamily.current() == OsFamily.MACOS ? ", which macOS reports as one page, 4096 or 16384" : "");
        }
        if (!Contract.onlyValintWritten(shm.buffer())) {
            return "bytes outside valint are not zero, and this module writes only valint";
        }
        return null;
    }

    private static String processes(List<Long> pids) {
        return (pids.size() == 1 ? "process " : "processes ")
                + pids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
