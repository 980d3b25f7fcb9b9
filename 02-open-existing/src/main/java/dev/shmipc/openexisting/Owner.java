package dev.shmipc.openexisting;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.Holders;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The owner of article 001's mapping, the Delphi form's {@code FormCreate}/{@code FormDestroy}
 * pair: creates the object once, holds it while openers come and go, and removes it when it
 * leaves.
 *
 * <p>It creates with create-or-open, as {@code CreateFileMapping} does: if the name is taken,
 * the call succeeds anyway and hands back the existing object (on Windows
 * {@code GetLastError()} is then 183, {@code ERROR_ALREADY_EXISTS}; article 003's lesson). The
 * owner prints which case it got. A second owner refuses to run: it closes its view of the
 * existing object and exits without touching it, so it never removes the first owner's object
 * (it registers no exit hook and never calls {@code shm_unlink}).
 *
 * <p>It leaves on Enter, at end of input, after {@code --hold} seconds, or on Ctrl-C/SIGTERM,
 * says which, and removes the name on every one of those paths. {@code --keep} leaves the name
 * in place instead, to show how long an object lives without its owner: on Linux and macOS until
 * someone calls {@code shm_unlink}, on Windows only until its last handle closes.
 *
 * <p>{@code --remove-stale} removes what a killed owner (or {@code --keep}) left under the name,
 * and nothing else: module 05 uses the same default name, {@link Contract#DEFAULT_NAME}, and any
 * other program may too. See {@link #removeStale}.
 */
public final class Owner {
    static final String ROLE = "owner";
    static final String USAGE = "Owner [--name NAME] [--hold SECONDS] [--keep] | Owner --remove-stale [--name NAME]";
    /** How long the owner holds the object if no one presses Enter. */
    static final long DEFAULT_HOLD_SECONDS = 300;
    /** What macOS reports for a 14-byte object: one page, 4 KiB on Intel, 16 KiB on Apple silicon. */
    private static final Set<Integer> MACOS_RECORD_SIZES = Set.of(4096, 16384);

    private Owner() {
    }

    public static void main(String[] argv) {
        Cli.main(ROLE, USAGE, Set.of("name", Cli.HOLD), Set.of("keep", Cli.REMOVE_STALE), argv, Owner::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        ObjectName name = ObjectName.of(args.option("name", Contract.DEFAULT_NAME));
        if (args.removeStale()) {
            if (args.flag("keep") || args.option(Cli.HOLD, null) != null) {
                throw new Cli.UsageException("--" + Cli.REMOVE_STALE + " takes no other option than --name");
            }
            return removeStale(name);
        }
        Duration hold = args.hold(DEFAULT_HOLD_SECONDS);
        boolean keep = args.flag("keep");

        // CreateMMF: CreateFileMapping($FFFFFFFF, nil, PAGE_READWRITE, 0, SizeOf(TMMFData), name)
        say("creating %s, %d bytes (SizeOf(TMMFData)), with create-or-open", name.nativeName(), Contract.SIZE);
        try (SharedMemory shm = createOrOpen(name)) {
            if (shm.existed()) {
                // The call succeeded, yet the object is someone else's: the 183 lesson.
                say("%s already existed: create-or-open returned the existing object (%s)",
                        name.nativeName(), alreadyExistsSignal());
                throw nameTaken(name);
            }
            if (!keep) {
                shm.unlinkOnExit(); // Ctrl-C and SIGTERM remove the name too
            }
            say("created %s: new, %d bytes, zero-filled", name.nativeName(), shm.size());
            say("holding it; press Enter to %s and exit (or wait %d s, or Ctrl-C)",
                    keep ? "leave it in place" : "remove it", hold.toSeconds());

            String what = Cli.awaitEnter(hold);
            say("%s", what != null ? what : "held for " + hold.toSeconds() + " s, time is up");

            // FreeMMF: CloseHandle(hMMF). On POSIX the name must be removed explicitly.
            if (keep) {
                say("%s", OsFamily.current().isPosix()
                        ? "leaving " + name.nativeName() + " in place (--keep): it outlives this process until "
                                + "shm_unlink; remove it with Owner --remove-stale --name " + name
                        : "leaving " + name.nativeName() + " in place (--keep): Windows deletes it anyway when "
                                + "its last handle closes");
            } else if (shm.unlink()) {
                say("removed %s (shm_unlink): no one can open it any more", name.nativeName());
            } else if (OsFamily.current().isPosix()) {
                say("%s was gone already: someone removed the name while this owner held it", name.nativeName());
            } else {
                say("closing %s: Windows deletes it when its last handle closes", name.nativeName());
            }
        }
        return Cli.EXIT_OK;
    }

    /** Create-or-open; an existing object too small for the record is refused and left as it is. */
    private static SharedMemory createOrOpen(ObjectName name) {
        try {
            return SharedMemory.createOrOpen(name.name(), Contract.SIZE);
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.TOO_SMALL) {
                throw e;
            }
            throw new Cli.Failure("'" + name + "' already exists and this owner cannot use it (" + e.getMessage()
                    + "); this owner leaves it alone and exits");
        }
    }

    /** What tells a program that the name was taken; create-or-open succeeds either way. */
    private static String alreadyExistsSignal() {
        return OsFamily.current().isPosix()
                ? "shm_open(O_CREAT|O_EXCL) failed with EEXIST, then shm_open(O_RDWR) opened it"
                : "CreateFileMapping returned its handle and GetLastError() = 183, ERROR_ALREADY_EXISTS";
    }

    /** Why the name is taken, as far as this OS can tell, and what to do about it. */
    private static Cli.Failure nameTaken(ObjectName name) {
        String leaves = "; this owner leaves it alone and exits";
        if (!OsFamily.current().isPosix()) {
            // A Windows mapping exists only while a process holds a handle to it.
            return new Cli.Failure("'" + name + "' is in use: another process has it open (another owner, or"
                    + " another program using this name)" + leaves);
        }
        Optional<List<Long>> holders = Holders.of(name);
        if (holders.isEmpty()) {
            return new Cli.Failure("'" + name + "' already exists: another owner holds it, or a run that ended"
                    + " without removing it (killed, or --keep) left it behind" + leaves
                    + " (if no owner runs: Owner --remove-stale --name " + name + ")");
        }
        if (!holders.get().isEmpty()) {
            return new Cli.Failure("'" + name + "' is in use by " + processes(holders.get()) + " (another owner, or"
                    + " another program using this name)" + leaves);
        }
        return new Cli.Failure("'" + name + "' already exists and no process has it open: a run that ended without"
                + " removing it (killed, or --keep) left it behind" + leaves
                + " (Owner --remove-stale --name " + name + " removes it if it is this module's)");
    }

    /**
     * Removes what a killed owner, or {@code --keep}, left under the name: only if it is this
     * module's and no process uses it. It is this module's if it has the record's size (exact on
     * Linux, one page on macOS) and nothing but {@code valint} was written to it; in use if a
     * process has it open or mapped (Linux; macOS cannot tell, and says so). Module 05's
     * {@code Writer create} makes the same 14-byte record under the same default name: a stale one
     * of those passes the same checks, since the bytes cannot tell the two apart.
     */
    private static int removeStale(ObjectName name) {
        String object = name.nativeName();
        if (!OsFamily.current().isPosix()) {
            say("nothing to remove: on Windows a mapping disappears with its last handle, so no run leaves %s"
                    + " behind", object);
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
                say("nothing to remove: there is no %s", object);
                return Cli.EXIT_OK;
            }
            throw new Cli.Failure(object + " cannot be checked: left it (" + e.getMessage() + ")");
        }
        if (holders.isPresent() && !holders.get().isEmpty()) {
            throw new Cli.Failure(object + " is in use: left it (" + processes(holders.get())
                    + " has it open: a running owner, or another program using this name)");
        }
        if (!SharedMemory.unlink(name.name())) {
            say("nothing to remove: %s was removed meanwhile", object);
        } else if (holders.isPresent()) {
            say("removed %s (shm_unlink): a %d-byte TMMFData record, nothing but valint written, that no process"
                    + " has open", object, Contract.SIZE);
        } else {
            say("removed %s (shm_unlink): a TMMFData record by its size and contents; macOS cannot show whether"
                    + " a process still had it mapped", object);
        }
        return Cli.EXIT_OK;
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

    private static void say(String format, Object... args) {
        System.out.println("[" + ROLE + "] " + String.format(Locale.ROOT, format, args));
    }
}
