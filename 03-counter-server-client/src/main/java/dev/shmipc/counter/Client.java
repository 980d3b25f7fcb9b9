package dev.shmipc.counter;

import static dev.shmipc.counter.CounterContract.CLIENT_SLEEP_MS;
import static dev.shmipc.counter.CounterContract.NAME;
import static dev.shmipc.counter.CounterContract.ROUNDS;
import static dev.shmipc.counter.CounterContract.SIZE;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The article's {@code shmem_test client}: opens the server's {@code /test.shmem}, counts against
 * the server for ten rounds, and unmaps; the name is the server's to remove.
 *
 * <pre>
 * Client [--name test.shmem] [--rounds 10] [--sleep 500] [--wait 0]
 * </pre>
 *
 * {@code --wait} gives the server that many milliseconds to appear; the default, 0, fails at
 * once as the article does.
 *
 * <p>Before it writes anything, the client checks that the object is a running server's: its
 * size, and the server's stamp ({@link Stamp}) with a pid that still runs. An object a killed
 * server left is refused untouched. The article's C++ server writes no stamp: an object that
 * still has none a moment after the client found it is taken for that server's, and the client
 * says so (it cannot tell whether that server still runs).
 */
public final class Client {
    static final String USAGE = "Client [--name test.shmem] [--rounds 10] [--sleep 500] [--wait 0]";
    private static final long POLL_MILLIS = 50;
    /** Ample time for a starting Java server to stamp the object it has just sized. */
    private static final long STAMP_GRACE_MILLIS = 200;

    private Client() {
    }

    public static void main(String[] args) {
        Cli.main(Side.CLIENT.role(), USAGE, Set.of("name", "rounds", "sleep", "wait"), Set.of(), args,
                Client::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        String name = args.option("name", NAME);
        ObjectName.of(name); // a bad name is a bad argument, found before anything else
        int rounds = args.intOption("rounds", ROUNDS, 1, 1_000_000);
        int sleepMillis = args.intOption("sleep", CLIENT_SLEEP_MS, 0, 3_600_000);
        long waitMillis = args.longOption("wait", 0, 0, 3_600_000);
        Side client = Side.CLIENT;

        // shm_open(O_RDWR), mmap(MAP_SHARED), close(fd); then the checks the article does not make.
        try (SharedMemory shm = open(name, waitMillis)) {
            client.say("opened " + shm.nativeName() + ", " + shm.size() + " bytes");
            // The article zeroes both slots here, which wipes out the server's progress (README,
            // "What the original gets wrong"). The client resets only its own.
            client.reset(shm);
            client.exchange(shm, rounds, sleepMillis);
            client.quit(shm);
        } // munmap; the client never removes the name
        return Cli.EXIT_OK;
    }

    /**
     * The server's object is not there yet, for a reason that time may cure: what was found, and
     * the next step, which depends on whether the client waited.
     */
    private static final class NotYet extends Exception {
        private static final long serialVersionUID = 1L;
        private final String ifNotWaiting;
        private final String afterWaiting;

        /** {@code afterWaiting} may contain {@code %d}, the milliseconds waited. */
        NotYet(String found, String ifNotWaiting, String afterWaiting) {
            super(found, null, false, false);
            this.ifNotWaiting = ifNotWaiting;
            this.afterWaiting = afterWaiting;
        }

        String explained(long waitMillis) {
            return getMessage() + (waitMillis == 0 ? ifNotWaiting : String.format(afterWaiting, waitMillis));
        }
    }

    /**
     * Opens the server's object, retrying for up to {@code waitMillis} while it does not exist
     * yet or has no size yet: the two things a starting server cures. It
     * says once that it waits, when the first look found nothing ready.
     */
    private static SharedMemory open(String name, long waitMillis) throws InterruptedException {
        long deadline = 0;
        boolean waiting = false;
        while (true) {
            try {
                return attempt(name);
            } catch (NotYet e) {
                if (!waiting) {
                    // The wait starts after the first look, which also loads the native libraries.
                    if (waitMillis == 0) {
                        throw new Cli.Failure(e.explained(waitMillis));
                    }
                    Side.CLIENT.say("waiting up to " + waitMillis + " ms for " + ObjectName.of(name).nativeName());
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                    waiting = true;
                } else if (deadline - System.nanoTime() <= 0) {
                    throw new Cli.Failure(e.explained(waitMillis));
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** One look: the mapped object if it is a running server's; otherwise why not. */
    private static SharedMemory attempt(String name) throws NotYet, InterruptedException {
        String nativeName = ObjectName.of(name).nativeName();
        SharedMemory shm;
        try {
            // All of it, whatever its size: the size is checked here, not by a failed open.
            shm = SharedMemory.open(name);
        } catch (IpcException e) {
            switch (e.reason()) {
                case NOT_FOUND -> throw new NotYet(e.getMessage() + ". Are you running the server?", "", "");
                // Size 0: the server made it and has not called ftruncate yet, or died in between.
                case TOO_SMALL -> throw new NotYet(e.getMessage(), ". If the server is just starting, use --wait.",
                        ". It did not grow within %d ms: did its server die while starting?");
                default -> throw e;
            }
        }
        try {
            if (!Owned.sizeFits(shm.size())) {
                // A size other than 0 is final: nothing will make it the server's.
                throw new Cli.Failure(nativeName + " is " + shm.size() + " bytes, not the " + SIZE
                        + " of the server's object: it is another program's, so the client leaves it alone");
            }
            Optional<Stamp> stamp = Owned.SERVER.stampIn(shm);
            if (stamp.isEmpty()) {
                Thread.sleep(STAMP_GRACE_MILLIS); // a Java server stamps right after it sizes the object
                stamp = Owned.SERVER.stampIn(shm);
            }
            if (stamp.isPresent() && !stamp.get().isRunning()) {
                throw new Cli.Failure(nativeName + " was left by a server (pid " + stamp.get().pid() + ") that is no"
                        + " longer running; the client wrote nothing to it. Remove it: run the server with"
                        + " --remove-stale.");
            }
            if (stamp.isEmpty()) {
                Side.CLIENT.say(nativeName + " carries no stamp: taking it for the article's C++ server's,"
                        + " which writes none");
            }
            return shm;
        } catch (RuntimeException | InterruptedException e) {
            shm.close();
            throw e;
        }
    }
}
