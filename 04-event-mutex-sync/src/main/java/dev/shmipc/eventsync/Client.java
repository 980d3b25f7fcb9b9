package dev.shmipc.eventsync;

import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.program.Cli;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The client of article 004, part 2: creates the two events, the mutex and the one-record
 * buffer, starts the server as a child process (the article's {@code ShellExecuteEx}), and prints
 * every file the server finds until the empty record comes.
 *
 * <p>Per record, as in the article: wait for ServerNewData, lock the mutex, read the record,
 * unlock, set ClientReadFinish. The article waits INFINITE; here no wait is: while it waits for a
 * record the client checks every {@code 250 ms} that the server still runs, and gives up after
 * 30 s without a record or 5000 ms on the mutex. A server that died holding the mutex shows as
 * an abandoned mutex. Every name is removed on every way out, Ctrl-C included ({@link Channel}).
 *
 * <p>What the article does not do: the server's output appears here, prefixed {@code [server]};
 * the client checks the records' sequence numbers and says how many records crossed and how fast
 * ({@link Tally}); {@code --remove-stale} removes what a crashed run left ({@link StaleObjects}).
 */
public final class Client {
    static final String ROLE = "client";
    static final String USAGE = "Client [DIRECTORY] [--repeat N] [--quiet] [--names BASE] [--global]"
            + " | Client --no-server [--quiet] [--names BASE] [--global] | Client --" + Cli.REMOVE_STALE + " [--names BASE]";
    /** What the server lists unless told otherwise: small, and present wherever Java is. */
    static final Path DEFAULT_DIRECTORY = Path.of(System.getProperty("java.home"), "conf");

    private Client() {
    }

    public static void main(String[] argv) {
        Cli.main(ROLE, USAGE, Set.of("repeat", "names"), Set.of("quiet", "global", "no-server", Cli.REMOVE_STALE), argv, Client::run);
    }

    static int run(Cli.Args args) throws Exception {
        List<String> positional = args.positional(1);
        int repeat = args.intOption("repeat", 1, 1, 1_000_000);
        boolean quiet = args.flag("quiet");
        Contract.Names names = Contract.Names.from(args);
        if (args.removeStale()) {
            if (!positional.isEmpty() || args.option("repeat", null) != null || quiet) {
                throw new Cli.UsageException("--" + Cli.REMOVE_STALE + " removes and exits: it takes no DIRECTORY,"
                        + " --repeat or --quiet");
            }
            return StaleObjects.run(names);
        }
        boolean startServer = !args.flag("no-server"); // not in the article: a server started elsewhere
        if (!startServer && (!positional.isEmpty() || args.option("repeat", null) != null)) {
            throw new Cli.UsageException("--no-server lists nothing itself: it takes no DIRECTORY or --repeat");
        }
        Path directory = positional.isEmpty() ? DEFAULT_DIRECTORY : Walker.directoryArgument(positional.get(0));

        if (startServer) { // not in the article: the server would find this out only after everything was made
            Walker.checkDirectory(directory);
        }

        // CreateFileMapping, MapViewOfFile, CreateEvent, CreateEvent, CreateMutex (owned); see Channel.create
        try (Channel channel = Cli.attach(() -> Channel.create(names), e -> StaleObjects.whyTaken(e, names))) {
            // allow server to write data to the memory (ClientReadFinish is set already: setting it
            // again leaves it set once, the auto-reset rule)
            channel.clientReadFinish.set();
            channel.lockMutex.unlock();

            // start another process
            if (startServer) {
                Cli.say("starting the server to list %s", directory);
            } else {
                Cli.say("waiting for a server on %s, %s, %s, %s", names.serverNewData(), names.clientReadFinish(),
                        names.lockMutex(), names.mapping());
            }
            try (ServerProcess server = startServer ? ServerProcess.start(directory, repeat, names)
                    : ServerProcess.elsewhere()) {
                Tally tally = receiveAll(channel, server, quiet);
                Cli.say("Done.");
                tally.report();
                server.awaitExit();
                tally.checkSequence();
                return Cli.EXIT_OK;
            }
        }
    }

    /** Reads records until the empty one: the article's {@code while} loop. */
    private static Tally receiveAll(Channel channel, ServerProcess server, boolean quiet) throws InterruptedException {
        Tally tally = new Tally();
        while (true) {
            awaitNewData(channel, server, tally.received());
            tally.arrived();
            LockResult lock = channel.lockMutex.lock(Contract.CLIENT_LOCK_WAIT);
            if (lock == LockResult.TIMEOUT) {
                throw new Cli.Failure("the mutex stayed locked for " + Contract.CLIENT_LOCK_WAIT.toMillis()
                        + " ms after " + tally.received() + " records");
            }
            if (lock == LockResult.ABANDONED) {
                // The buffer may be half-written: do not read it.
                throw new Cli.Failure("the server died holding the mutex (abandoned) after " + tally.received() + " records");
            }
            byte[] bytes = new byte[FindData.SIZE];
            channel.buffer.buffer().get(Contract.RECORD_OFFSET, bytes);
            channel.lockMutex.unlock();
            channel.clientReadFinish.set();

            FindData record = FindData.fromBytes(bytes);
            if (record.isEnd()) {
                tally.ended();
                return tally;
            }
            if (!quiet) {
                Cli.say("File found : %s%s", record.fileName(), record.nameShortened() ? " (name shortened)" : "");
            }
            tally.count(record.sequence());
        }
    }

    /** WaitForSingleObject(hServerNewDataEvent, INFINITE), in bounded steps. */
    private static void awaitNewData(Channel channel, ServerProcess server, int received) throws InterruptedException {
        long idleSince = System.nanoTime();
        while (!channel.serverNewData.await(Contract.CLIENT_CHECK_EVERY)) {
            String ended = server.ended();
            if (ended != null) {
                throw new Cli.Failure("the server ended (" + ended + ") after " + received + " records");
            }
            if (System.nanoTime() - idleSince > Contract.CLIENT_IDLE_LIMIT.toNanos()) {
                throw new Cli.Failure("no record from the server for " + Contract.CLIENT_IDLE_LIMIT.toSeconds()
                        + " s after " + received + " records");
            }
        }
    }
}
