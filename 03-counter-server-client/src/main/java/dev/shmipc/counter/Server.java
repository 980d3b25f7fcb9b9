package dev.shmipc.counter;

import static dev.shmipc.counter.CounterContract.NAME;
import static dev.shmipc.counter.CounterContract.ROUNDS;
import static dev.shmipc.counter.CounterContract.SERVER_SLEEP_MS;
import static dev.shmipc.counter.CounterContract.SIZE;

import dev.shmipc.common.Cli;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
import java.util.Set;

/**
 * The article's {@code shmem_test server}: creates {@code /test.shmem}, counts against the client
 * for ten rounds, then removes the name.
 *
 * <pre>
 * Server [--name test.shmem] [--rounds 10] [--sleep 800] [--remove-stale]
 * </pre>
 *
 * {@code --remove-stale} first removes an object of that name left behind by a server that died
 * without cleaning up (SIGKILL, a crash). Use it only when no server is running: a live server
 * would lose its name to the new one, and then remove the new one's name when it ends.
 */
public final class Server {
    static final String USAGE = "Server [--name test.shmem] [--rounds 10] [--sleep 800] [--remove-stale]";

    private Server() {
    }

    public static void main(String[] args) {
        Cli.main(Side.SERVER.role(), USAGE, Set.of("name", "rounds", "sleep"), Set.of("remove-stale"), args,
                Server::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        String name = args.option("name", NAME);
        int rounds = args.intOption("rounds", ROUNDS, 1, 1_000_000);
        int sleepMillis = args.intOption("sleep", SERVER_SLEEP_MS, 0, 3_600_000);
        Side server = Side.SERVER;

        if (args.flag("remove-stale") && SharedMemory.unlink(name)) {
            server.say("removed stale " + ObjectName.of(name).nativeName());
        }
        // shm_open(O_CREAT|O_EXCL|O_RDWR, 0600), ftruncate(4096), mmap(MAP_SHARED), close(fd).
        // The name is removed on every exit from here on, Ctrl-C included.
        try (SharedMemory shm = Exclusive.create(name, SIZE, "server").unlinkOnExit()) {
            server.say("created " + shm.nativeName() + ", " + shm.size() + " bytes");
            // The article zeroes both slots here. A new object is already zero-filled, and
            // writing the client's slot would break the rule that each side writes only its own.
            server.reset(shm);
            server.exchange(shm, rounds, sleepMillis);
            server.quit(shm);
            shm.close();  // munmap
            shm.unlink(); // shm_unlink: a client still running keeps its mapping
        }
        return Cli.EXIT_OK;
    }
}
