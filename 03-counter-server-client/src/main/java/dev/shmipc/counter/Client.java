package dev.shmipc.counter;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.Set;

/**
 * The article's {@code shmem_test client}: opens the server's {@code /test.shmem}, counts against
 * the server for ten rounds, and unmaps; the name is the server's to remove.
 *
 * <pre>
 * Client [--name test.shmem] [--rounds 10] [--sleep 500] [--wait 0]
 * </pre>
 *
 * {@code --wait} gives the server that many milliseconds to appear; the default, 0, fails at
 * once as the article does. Before it writes anything, the client checks that the object is a
 * running server's ({@link ServerObject}): an object a killed server left is refused untouched.
 */
public final class Client {
    static final String USAGE = "Client [--name test.shmem] [--rounds 10] [--sleep 500] [--wait 0]";

    private Client() {
    }

    public static void main(String[] args) {
        Cli.main(Side.CLIENT.role(), USAGE, Set.of("name", "rounds", "sleep", "wait"), Set.of(), args, Client::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        Settings settings = Settings.of(args, Contract.CLIENT_SLEEP_MS);
        long waitMillis = args.longOption("wait", 0, 0, 3_600_000);
        Side client = Side.CLIENT;

        // shm_open(O_RDWR), mmap(MAP_SHARED), close(fd); then the checks the article does not make.
        try (SharedMemory shm = ServerObject.open(settings.name(), waitMillis)) {
            Cli.say("opened " + shm.nativeName() + ", " + shm.size() + " bytes");
            // The article zeroes both slots here, which wipes out the server's progress (README,
            // "What the original gets wrong"). The client resets only its own.
            client.reset(shm);
            client.exchange(shm, settings.rounds(), settings.sleepMillis());
            client.quit(shm);
        } // munmap; the client never removes the name
        return Cli.EXIT_OK;
    }
}
