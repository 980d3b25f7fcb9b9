package dev.shmipc.counter;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The client's way to the server's object: it opens the object, waiting (if told to) while a
 * starting server may still make it, and then checks, before anything is written, that it is a
 * running server's: its size, and the server's stamp ({@link Stamp}) with a pid that still runs.
 *
 * <p>The article's C++ server writes no stamp: an object that still has none a moment after the
 * client found it is taken for that server's, and the client says so (it cannot tell whether that
 * server still runs).
 */
final class ServerObject {
    private static final long POLL_MILLIS = 50;
    /** Ample time for a starting Java server to stamp the object it has just sized. */
    private static final long STAMP_GRACE_MILLIS = 200;

    private ServerObject() {
    }

    /**
     * The server's object, mapped and checked; otherwise a {@link Cli.Failure} that says what was
     * found and what to do.
     *
     * @param waitMillis how long to wait for a server that is starting; 0 fails at once
     */
    static SharedMemory open(String name, long waitMillis) throws InterruptedException {
        SharedMemory shm = await(name, waitMillis);
        try {
            check(shm);
            return shm;
        } catch (RuntimeException | InterruptedException e) {
            shm.close();
            throw e;
        }
    }

    /**
     * Opens all of the object, whatever its size (checked next, not by a failed open). While it
     * does not exist yet or has no size yet, the two things a starting server cures, it looks
     * again until {@code waitMillis} have passed, and says once that it waits.
     */
    private static SharedMemory await(String name, long waitMillis) throws InterruptedException {
        long deadline = 0;
        for (boolean first = true; ; first = false) {
            boolean timeLeft = first ? waitMillis > 0 : deadline - System.nanoTime() > 0;
            try {
                return Cli.attach(() -> SharedMemory.open(name),
                        e -> timeLeft && startingServerCures(e) ? null : explain(e, waitMillis));
            } catch (IpcException notYet) { // what a starting server cures, and there is time left
                if (first) {
                    // The wait starts after the first look, which also loads the native libraries.
                    Cli.say("waiting up to " + waitMillis + " ms for " + ObjectName.of(name).nativeName());
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    private static boolean startingServerCures(IpcException e) {
        return e.reason() == IpcException.Reason.NOT_FOUND || e.reason() == IpcException.Reason.TOO_SMALL;
    }

    /** The failure for the user: what was found, and the next step, which depends on whether the client waited. */
    private static String explain(IpcException e, long waitMillis) {
        return switch (e.reason()) {
            case NOT_FOUND -> e.getMessage() + ". Are you running the server?";
            // Size 0: the server made it and has not called ftruncate yet, or died in between.
            case TOO_SMALL -> e.getMessage() + (waitMillis == 0 ? ". If the server is just starting, use --wait."
                    : ". It did not grow within " + waitMillis + " ms: did its server die while starting?");
            default -> e.getMessage();
        };
    }

    /** Refuses an object that is not a running server's; says so when it is taken for the C++ server's. */
    private static void check(SharedMemory shm) throws InterruptedException {
        String nativeName = shm.nativeName();
        if (!Owned.sizeFits(shm.size())) {
            // A size other than 0 is final: nothing will make it the server's.
            throw new Cli.Failure(nativeName + " is " + shm.size() + " bytes, not the " + Contract.SIZE
                    + " of the server's object: it is another program's, so the client leaves it alone");
        }
        Optional<Stamp> stamp = Owned.SERVER.stampIn(shm);
        if (stamp.isEmpty()) {
            Thread.sleep(STAMP_GRACE_MILLIS); // a Java server stamps right after it sizes the object
            stamp = Owned.SERVER.stampIn(shm);
        }
        if (stamp.isEmpty()) {
            Cli.say(nativeName + " carries no stamp: taking it for the article's C++ server's, which writes none");
        } else if (!stamp.get().isRunning()) {
            throw new Cli.Failure(nativeName + " was left by a server (pid " + stamp.get().pid() + ") that is no"
                    + " longer running; the client wrote nothing to it. Remove it: run the server with"
                    + " --remove-stale.");
        }
    }
}
