package dev.shmipc.counter;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.Set;

/**
 * The article's {@code shmem_test server}: creates {@code /test.shmem}, counts against the client
 * for ten rounds, then removes the name.
 *
 * <pre>
 * Server [--name test.shmem] [--rounds 10] [--sleep 800]
 * Server [--name test.shmem] --remove-stale
 * </pre>
 *
 * The server stamps the object with its pid and start time ({@link Stamp}), past the two slots
 * the article uses, so that a client can tell a running server's object from one a killed server
 * left. {@code --remove-stale} removes such a stale object and exits: only if it carries a
 * server's stamp and that server no longer runs; it leaves anything else, and says why.
 */
public final class Server {
    static final String USAGE = "Server [--name test.shmem] [--rounds 10] [--sleep 800]\n"
            + "       Server [--name test.shmem] --remove-stale   (remove what a killed server left, and exit)";

    private Server() {
    }

    public static void main(String[] args) {
        Cli.main(Side.SERVER.role(), USAGE, Set.of("name", "rounds", "sleep"), Set.of(Cli.REMOVE_STALE), args,
                Server::run);
    }

    @SuppressWarnings("try") // closed by hand, to keep the article's order: munmap, then shm_unlink
    static int run(Cli.Args args) throws InterruptedException {
        if (args.removeStale()) {
            return Owned.SERVER.removeStale(Settings.nameOnly(args, Contract.NAME, "rounds", "sleep"));
        }
        Settings settings = Settings.of(args, Contract.SERVER_SLEEP_MS);
        Side server = Side.SERVER;

        // shm_open(O_CREAT|O_EXCL|O_RDWR, 0600), ftruncate(4096), mmap(MAP_SHARED), close(fd).
        // The name is removed on every exit from here on, Ctrl-C included; the stamp says who made it.
        try (SharedMemory shm = Owned.SERVER.create(settings.name())) {
            Cli.say("created " + shm.nativeName() + ", " + shm.size() + " bytes");
            // The article zeroes both slots here. A new object is already zero-filled, and
            // writing the client's slot would break the rule that each side writes only its own.
            server.reset(shm);
            server.exchange(shm, settings.rounds(), settings.sleepMillis());
            server.quit(shm);
            shm.close();  // munmap
            shm.unlink(); // shm_unlink: a client still running keeps its mapping
        }
        return Cli.EXIT_OK;
    }
}
