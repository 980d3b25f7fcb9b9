package dev.shmipc.counter;

import static dev.shmipc.counter.Contract.SIZE;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.Holders;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.util.Optional;

/**
 * The two kinds of object this module creates, the server's and the race's: how each is created
 * ({@code O_CREAT|O_EXCL}, then stamped with its creator, {@link Stamp}), and how to tell, before
 * touching an object of that name, whether it is one of them and whether its creator still runs.
 * Both kinds are one page, the article's {@value Contract#SIZE} bytes.
 * The server and the race share the article's advice, "if /dev/shm/test.shmem exists, remove it",
 * and make it safe: {@code --remove-stale} removes only an object of its own kind whose creator
 * is gone.
 */
enum Owned {
    SERVER("server", 0x3033_7376), // "03sv"
    RACE("race", 0x3033_7263); // "03rc"

    /** The largest page of the systems this runs on (arm64 macOS); the OS may report a size rounded up to it. */
    private static final int LARGEST_PAGE = 16_384;

    private final String program;
    private final int magic;

    Owned(String program, int magic) {
        this.program = program;
        this.magic = magic;
    }

    /** What an object under a name turned out to be. */
    enum State {
        /** No object of that name. */
        NOTHING,
        /** This kind's object, and its creator runs. */
        RUNNING,
        /** This kind's object, and its creator is gone: a killed run left it. */
        STALE,
        /** Not this kind's object, or not one that can be told to be. */
        FOREIGN
    }

    /** The finding about one name, with the words that explain it (empty for {@link State#NOTHING}). */
    record Finding(State state, String why) {
    }

    /**
     * Creates {@code name}, removed again on every exit but SIGKILL, and stamps it with this
     * process. If the name exists, fails with a message that says whose it is and what to do.
     */
    SharedMemory create(String name) {
        SharedMemory shm = Cli.attach(() -> SharedMemory.create(name, SIZE).unlinkOnExit(),
                e -> e.reason() == IpcException.Reason.ALREADY_EXISTS ? e.getMessage() + ". " + whyTaken(name) : null);
        Stamp.self().writeTo(shm, magic);
        return shm;
    }

    private String whyTaken(String name) {
        String nativeName = ObjectName.of(name).nativeName();
        if (!OsFamily.current().isPosix()) {
            // A Windows mapping lives while any process holds a handle to it (a client's
            // too) and dies with the last one: nothing is ever stale, someone has it open.
            return "Another process has " + nativeName + " open: a " + program + " that is running, or a program"
                    + " still attached to one.";
        }
        Finding finding = inspect(name);
        return switch (finding.state()) {
            case NOTHING -> "It was removed a moment later: try again.";
            case RUNNING -> capitalized(finding.why()) + ".";
            case STALE -> "It was " + finding.why() + where(nativeName) + ". Remove it: run the " + program
                    + " with --remove-stale, then start it again.";
            case FOREIGN -> "It is not a " + program + "'s object, as far as can be told: " + finding.why()
                    + ". The " + program + " leaves it alone.";
        };
    }

    private static String where(String nativeName) {
        return OsFamily.current() == OsFamily.LINUX ? " (it is /dev/shm" + nativeName + ")" : "";
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The stamp of this kind in {@code shm}, or empty if it carries none. */
    Optional<Stamp> stampIn(SharedMemory shm) {
        return Stamp.readFrom(shm, magic);
    }

    /**
     * True if {@code size} is what the OS reports for an object of this kind: exactly
     * {@value Contract#SIZE} bytes on Linux; elsewhere rounded up to a whole page (4 or 16 KiB).
     */
    static boolean sizeFits(int size) {
        return size == SIZE || (OsFamily.current() != OsFamily.LINUX && size == LARGEST_PAGE);
    }

    /**
     * Looks at the object under {@code name} without writing to it: whether there is one, whether
     * it is this kind's (its size and its stamp), and whether its creator runs.
     */
    Finding inspect(String name) {
        String nativeName = ObjectName.of(name).nativeName();
        try (SharedMemory shm = SharedMemory.open(name)) {
            if (!sizeFits(shm.size())) {
                return new Finding(State.FOREIGN, "it is " + shm.size() + " bytes, a " + program
                        + "'s is " + SIZE);
            }
            Optional<Stamp> stamp = stampIn(shm);
            if (stamp.isEmpty() && Holders.abandonedBlank(shm)) { // killed before it stamped it
                return new Finding(State.STALE, "made by a " + program + " that stopped before it stamped it:"
                        + " nothing written, and no process uses it");
            }
            if (stamp.isEmpty()) {
                return new Finding(State.FOREIGN, "it carries no " + program + "'s stamp"
                        + (this == SERVER ? " (the article's C++ server writes none, running or not" + (OsFamily.current()
                                == OsFamily.LINUX ? "; if none runs, remove it as the article says: rm /dev/shm"
                                        + nativeName : "") + ")" : ""));
            }
            long pid = stamp.get().pid();
            return stamp.get().isRunning()
                    ? new Finding(State.RUNNING, "a " + program + " (pid " + pid + ") is running on it")
                    : new Finding(State.STALE, "left by a " + program + " (pid " + pid + ") that is no longer running");
        } catch (IpcException e) {
            return switch (e.reason()) {
                case NOT_FOUND -> new Finding(State.NOTHING, "");
                // Size 0: a creator that is starting, or died while starting, or not one of ours.
                case TOO_SMALL -> new Finding(State.FOREIGN, "it has no size: a " + program
                        + " that is starting or died while starting, or another program's object");
                default -> new Finding(State.FOREIGN, "cannot look at it: " + e.getMessage());
            };
        }
    }

    /**
     * {@code --remove-stale}: removes {@code name} if it is this kind's object and its creator is
     * gone, and says in one line what it did. Returns the exit code: 0 if it removed the object or
     * there was none, 1 if it left one.
     */
    int removeStale(String name) {
        String nativeName = ObjectName.of(name).nativeName();
        if (!OsFamily.current().isPosix()) {
            Cli.say("nothing to remove: on Windows a mapping ends with its last handle, and its name with it");
            return Cli.EXIT_OK;
        }
        Finding finding = inspect(name);
        switch (finding.state()) {
            case NOTHING -> Cli.say(nativeName + ": nothing there");
            case STALE -> {
                // Between the look and the removal nothing can revive the dead creator; a new
                // creator cannot take the name while it exists (O_EXCL).
                boolean removed = SharedMemory.unlink(name);
                Cli.say(removed ? "removed " + nativeName + ", " + finding.why() : nativeName + ": nothing there");
            }
            case RUNNING -> {
                Cli.say(nativeName + ": " + finding.why() + ": left it");
                return Cli.EXIT_FAILURE;
            }
            case FOREIGN -> {
                Cli.say(nativeName + ": not this module's: " + finding.why() + ": left it");
                return Cli.EXIT_FAILURE;
            }
        }
        return Cli.EXIT_OK;
    }
}
