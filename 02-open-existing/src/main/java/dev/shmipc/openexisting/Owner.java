package dev.shmipc.openexisting;

import dev.shmipc.common.Cli;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.time.Duration;
import java.util.Locale;
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
 * and removes the name on every one of those paths. {@code --keep} leaves the name in place
 * instead, to show how long an object lives without its owner: on Linux and macOS until someone
 * calls {@code shm_unlink} ({@code --remove} does), on Windows only until its last handle closes.
 */
public final class Owner {
    static final String ROLE = "owner";
    static final String USAGE = "Owner [--name NAME] [--hold SECONDS] [--keep] | Owner --remove [--name NAME]";
    /** How long the owner holds the object if no one presses Enter. */
    static final int DEFAULT_HOLD_SECONDS = 300;
    private static final int MAX_HOLD_SECONDS = 24 * 60 * 60;

    private Owner() {
    }

    public static void main(String[] argv) {
        Cli.main(ROLE, USAGE, Set.of("name", "hold"), Set.of("keep", "remove"), argv, Owner::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        ObjectName name = ObjectName.of(args.option("name", MmfData.DEFAULT_NAME));
        if (args.flag("remove")) {
            if (args.flag("keep") || args.option("hold", null) != null) {
                throw new Cli.UsageException("--remove takes no other option than --name");
            }
            return remove(name);
        }
        long holdSeconds = args.longOption("hold", DEFAULT_HOLD_SECONDS, 1, MAX_HOLD_SECONDS);
        boolean keep = args.flag("keep");

        // CreateMMF: CreateFileMapping($FFFFFFFF, nil, PAGE_READWRITE, 0, SizeOf(TMMFData), name)
        say("creating %s, %d bytes (SizeOf(TMMFData)), with create-or-open", name.nativeName(), MmfData.SIZE);
        try (SharedMemory shm = SharedMemory.createOrOpen(name.name(), MmfData.SIZE)) {
            if (shm.existed()) {
                // The call succeeded, yet the object is someone else's: the 183 lesson.
                say("%s already existed: create-or-open returned the existing object (%s)",
                        name.nativeName(), alreadyExistsSignal());
                throw new Cli.Failure("another owner holds '" + name + "'; this one leaves it alone and exits"
                        + (OsFamily.current().isPosix() ? " (if no owner is running, a crashed one left it behind:"
                                + " remove it with Owner --remove --name " + name + ")" : ""));
            }
            if (!keep) {
                shm.unlinkOnExit(); // Ctrl-C and SIGTERM remove the name too
            }
            say("created %s: new, %d bytes, zero-filled", name.nativeName(), shm.size());
            say("holding it; press Enter to %s and exit (or wait %d s, or Ctrl-C)",
                    keep ? "leave it in place" : "remove it", holdSeconds);

            String what = Cli.awaitEnter(Duration.ofSeconds(holdSeconds));
            say("%s", what != null ? what : "held for " + holdSeconds + " s, time is up");

            // FreeMMF: CloseHandle(hMMF). On POSIX the name must be removed explicitly.
            if (keep) {
                say("%s", OsFamily.current().isPosix()
                        ? "leaving " + name.nativeName() + " in place (--keep): it outlives this process until "
                                + "shm_unlink; remove it with Owner --remove --name " + name
                        : "leaving " + name.nativeName() + " in place (--keep): Windows deletes it anyway when "
                                + "its last handle closes");
            } else if (shm.unlink()) {
                say("removed %s (shm_unlink): no one can open it any more", name.nativeName());
            } else {
                say("closing %s: Windows deletes it when its last handle closes", name.nativeName());
            }
        }
        return Cli.EXIT_OK;
    }

    /** What tells a program that the name was taken; create-or-open succeeds either way. */
    private static String alreadyExistsSignal() {
        return OsFamily.current().isPosix()
                ? "shm_open(O_CREAT|O_EXCL) failed with EEXIST, then shm_open(O_RDWR) opened it"
                : "CreateFileMapping returned its handle and GetLastError() = 183, ERROR_ALREADY_EXISTS";
    }

    /** Removes a name left behind by {@code --keep} or by an owner that was killed. */
    private static int remove(ObjectName name) {
        if (SharedMemory.unlink(name.name())) {
            say("removed %s (shm_unlink)", name.nativeName());
        } else if (OsFamily.current().isPosix()) {
            say("there is no %s to remove", name.nativeName());
        } else {
            say("nothing to remove on Windows: a mapping disappears with its last handle");
        }
        return Cli.EXIT_OK;
    }

    private static void say(String format, Object... args) {
        System.out.println("[" + ROLE + "] " + String.format(Locale.ROOT, format, args));
    }
}
