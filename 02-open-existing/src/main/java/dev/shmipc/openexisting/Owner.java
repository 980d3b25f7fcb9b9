package dev.shmipc.openexisting;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.time.Duration;
import java.util.Set;

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
 * and nothing else: see {@link RemoveStale}.
 */
public final class Owner {
    static final String USAGE = "Owner [--name NAME] [--hold SECONDS] [--keep] | Owner --remove-stale [--name NAME]";
    /** How long the owner holds the object if no one presses Enter. */
    private static final long DEFAULT_HOLD_SECONDS = 300;

    private Owner() {
    }

    public static void main(String[] argv) {
        Cli.main("owner", USAGE, Set.of("name", Cli.HOLD), Set.of("keep", Cli.REMOVE_STALE), argv, Owner::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        ObjectName name = ObjectName.of(args.option("name", Contract.DEFAULT_NAME));
        if (args.removeStale()) {
            if (args.flag("keep") || args.option(Cli.HOLD, null) != null) {
                throw new Cli.UsageException("--" + Cli.REMOVE_STALE + " takes no other option than --name");
            }
            return RemoveStale.run(name);
        }
        Duration hold = args.hold(DEFAULT_HOLD_SECONDS);
        boolean keep = args.flag("keep");

        // CreateMMF: CreateFileMapping($FFFFFFFF, nil, PAGE_READWRITE, 0, SizeOf(TMMFData), name)
        Cli.say("creating %s, %d bytes (SizeOf(TMMFData)), with create-or-open", name.nativeName(), Contract.SIZE);
        try (SharedMemory shm = createOrOpen(name)) {
            if (shm.existed()) {
                // The call succeeded, yet the object is someone else's: the 183 lesson.
                Cli.say("%s already existed: create-or-open returned the existing object (%s)",
                        name.nativeName(), alreadyExistsSignal());
                throw new Cli.Failure(RemoveStale.whyTaken(name));
            }
            if (!keep) {
                shm.unlinkOnExit(); // Ctrl-C and SIGTERM remove the name too
            }
            Cli.say("created %s: new, %d bytes, zero-filled", name.nativeName(), shm.size());
            Cli.say("holding it; press Enter to %s and exit (or wait %d s, or Ctrl-C)",
                    keep ? "leave it in place" : "remove it", hold.toSeconds());

            String what = Cli.awaitEnter(hold);
            Cli.say(what != null ? what : "held for " + hold.toSeconds() + " s, time is up");

            // FreeMMF: CloseHandle(hMMF). On POSIX the name must be removed explicitly.
            if (keep) {
                Cli.say(OsFamily.current().isPosix()
                        ? "leaving " + name.nativeName() + " in place (--keep): it outlives this process until "
                                + "shm_unlink; remove it with Owner --remove-stale --name " + name
                        : "leaving " + name.nativeName() + " in place (--keep): Windows deletes it anyway when "
                                + "its last handle closes");
            } else if (shm.unlink()) {
                Cli.say("removed %s (shm_unlink): no one can open it any more", name.nativeName());
            } else if (OsFamily.current().isPosix()) {
                Cli.say("%s was gone already: someone removed the name while this owner held it", name.nativeName());
            } else {
                Cli.say("closing %s: Windows deletes it when its last handle closes", name.nativeName());
            }
        }
        return Cli.EXIT_OK;
    }

    /** Create-or-open; an existing object too small for the record is refused and left as it is. */
    private static SharedMemory createOrOpen(ObjectName name) {
        return Cli.attach(() -> SharedMemory.createOrOpen(name.name(), Contract.SIZE),
                e -> e.reason() == IpcException.Reason.TOO_SMALL ? "'" + name + "' already exists and this owner"
                        + " cannot use it (" + e.getMessage() + "); this owner leaves it alone and exits" : null);
    }

    /** What tells a program that the name was taken; create-or-open succeeds either way. */
    private static String alreadyExistsSignal() {
        return OsFamily.current().isPosix()
                ? "shm_open(O_CREAT|O_EXCL) failed with EEXIST, then shm_open(O_RDWR) opened it"
                : "CreateFileMapping returned its handle and GetLastError() = 183, ERROR_ALREADY_EXISTS";
    }
}
