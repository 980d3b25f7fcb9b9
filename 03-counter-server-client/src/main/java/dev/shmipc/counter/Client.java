package dev.shmipc.counter;

import static dev.shmipc.counter.CounterContract.CLIENT_SLEEP_MS;
import static dev.shmipc.counter.CounterContract.NAME;
import static dev.shmipc.counter.CounterContract.ROUNDS;
import static dev.shmipc.counter.CounterContract.SIZE;

import dev.shmipc.common.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
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
 */
public final class Client {
    static final String USAGE = "Client [--name test.shmem] [--rounds 10] [--sleep 500] [--wait 0]";
    private static final long POLL_MILLIS = 50;

    private Client() {
    }

    public static void main(String[] args) {
        Cli.main(Side.CLIENT.role(), USAGE, Set.of("name", "rounds", "sleep", "wait"), Set.of(), args, Client::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        String name = args.option("name", NAME);
        int rounds = args.intOption("rounds", ROUNDS, 1, 1_000_000);
        int sleepMillis = args.intOption("sleep", CLIENT_SLEEP_MS, 0, 3_600_000);
        long waitMillis = args.longOption("wait", 0, 0, 3_600_000);
        Side client = Side.CLIENT;

        if (waitMillis > 0) {
            client.say("waiting up to " + waitMillis + " ms for " + ObjectName.of(name).nativeName());
        }
        // shm_open(O_RDWR), mmap(MAP_SHARED), close(fd).
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
     * Opens the server's object, retrying for up to {@code waitMillis} while it does not exist yet
     * or its server has not yet given it its size.
     */
    private static SharedMemory open(String name, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            try {
                return SharedMemory.open(name, SIZE);
            } catch (IpcException e) {
                boolean notYet = e.reason() == IpcException.Reason.NOT_FOUND
                        || e.reason() == IpcException.Reason.TOO_SMALL;
                if (!notYet || deadline - System.nanoTime() <= 0) {
                    throw explained(e, waitMillis);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** The failure to open, with the next step for the two cases a user can act on. */
    private static RuntimeException explained(IpcException e, long waitMillis) {
        return switch (e.reason()) {
            case NOT_FOUND -> new Cli.Failure(e.getMessage() + ". Are you running the server?");
            // The object exists, but its server has not (yet) given it its size.
            case TOO_SMALL -> new Cli.Failure(e.getMessage() + (waitMillis > 0
                    ? ". It did not grow within " + waitMillis + " ms: did its server die while starting,"
                            + " or is it not the server's object?"
                    : ". If the server is just starting, it has not sized the object yet: use --wait."));
            default -> e;
        };
    }
}
