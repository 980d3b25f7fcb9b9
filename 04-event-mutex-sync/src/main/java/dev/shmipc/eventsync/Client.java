package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.OsFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The client of article 004, part 2: creates the two events, the mutex and the one-record
 * buffer, starts the server as a child process (the article's {@code ShellExecuteEx}), and prints
 * every file the server finds until the empty record comes.
 *
 * <p>Per record, as in the article: wait for ServerNewData, lock the mutex, read the record,
 * unlock, set ClientReadFinish. The article waits INFINITE; here no wait is: while it waits for a
 * record the client checks every {@code 250 ms} that the server still runs, and gives up after
 * 30 s without a record or 5000 ms on the mutex. A server that died holding the mutex shows as
 * an abandoned mutex. Every name is removed on every way out, Ctrl-C included.
 *
 * <p>What the article does not do: the server's output appears here, prefixed {@code [server]};
 * the client checks the records' sequence numbers and says how many records crossed and how fast.
 */
public final class Client {
    static final String ROLE = "client";
    static final String USAGE = "Client [DIRECTORY] [--repeat N] [--quiet] [--names BASE] [--global]"
            + " | Client --" + Cli.REMOVE_STALE + " [--names BASE]";
    /** What the server lists unless told otherwise: small, and present wherever Java is. */
    static final Path DEFAULT_DIRECTORY = Path.of(System.getProperty("java.home"), "conf");
    private static final Duration SERVER_EXIT_WAIT = Duration.ofSeconds(30);

    private Client() {
    }

    public static void main(String[] argv) {
        Cli.main(ROLE, USAGE, Set.of("repeat", "names"), Set.of("quiet", "global", Cli.REMOVE_STALE), argv, Client::run);
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
            return removeStale(names);
        }
        Path directory = positional.isEmpty() ? DEFAULT_DIRECTORY : directoryArgument(positional.get(0));

        // Not in the article: the server would find this out only after everything was made.
        checkDirectory(directory);

        // CreateFileMapping, MapViewOfFile, CreateEvent, CreateEvent, CreateMutex (owned); see Channel.create
        Channel channel;
        try {
            channel = Channel.create(names);
        } catch (IpcException e) {
            if (e.reason() != IpcException.Reason.ALREADY_EXISTS) {
                throw e;
            }
            String other = e.objectName().equals(names.mapping()) ? StaleObjects.whyNotThisModules(names.mapping()) : null;
            if (other != null) {
                throw new Cli.Failure("'" + e.objectName() + "' exists and is not this module's (" + other
                        + "): another program uses the name (01's message writer also maps " + Contract.MAPPING + ")");
            }
            throw new Cli.Failure("'" + e.objectName() + "' exists: another client is running"
                    + (OsFamily.current().isPosix() ? ", or one that crashed left it (Client --" + Cli.REMOVE_STALE
                            + (names.toArgs().isEmpty() ? "" : " " + String.join(" ", names.toArgs())) + " removes it)"
                            : ""));
        }
        try (channel) {
            // allow server to write data to the memory (ClientReadFinish is set already: setting it
            // again leaves it set once, the auto-reset rule)
            channel.clientReadFinish.set();
            channel.lockMutex.unlock();

            // start another process
            say("starting the server to list %s", directory);
            List<String> serverArgs = new ArrayList<>(List.of(directory.toString(), "--repeat", Integer.toString(repeat),
                    "--client-pid", Long.toString(ProcessHandle.current().pid())));
            serverArgs.addAll(names.toArgs());
            try (JvmProcess server = JvmProcess.start(Server.class, System.out::println, serverArgs.toArray(String[]::new))) {
                Receiver receiver = new Receiver(channel, server, quiet);
                receiver.receiveAll();

                say("Done.");
                double seconds = receiver.nanos / 1e9;
                say("%d records in %.2f s (%s records/s)", receiver.received, seconds,
                        seconds > 0 ? String.format(Locale.ROOT, "%.0f", receiver.received / seconds) : "-");
                say("sequence check: %d lost, %d duplicated, %d out of order", receiver.lost(), receiver.duplicated,
                        receiver.outOfOrder);
                int serverExit = awaitServer(server);
                if (serverExit != 0) {
                    throw new Cli.Failure("the server exited with code " + serverExit);
                }
                if (!receiver.sequenceIntact()) {
                    throw new Cli.Failure("the sequence check failed: " + receiver.lost() + " lost, "
                            + receiver.duplicated + " duplicated, " + receiver.outOfOrder + " out of order");
                }
                return Cli.EXIT_OK;
            }
        }
    }

    /**
     * Reads records until the empty one: the article's {@code while} loop. Counts them, checks
     * their sequence numbers, and times them from the first record's arrival to the end record's.
     */
    static final class Receiver {
        private final Channel channel;
        private final JvmProcess server;
        private final boolean quiet;
        private final BitSet seen = new BitSet();
        private int received;
        private int highest;
        private int duplicated;
        private int outOfOrder;
        private long nanos;

        Receiver(Channel channel, JvmProcess server, boolean quiet) {
            this.channel = channel;
            this.server = server;
            this.quiet = quiet;
        }

        void receiveAll() throws InterruptedException {
            long start = 0;
            while (true) {
                awaitNewData();
                if (start == 0) {
                    start = System.nanoTime(); // the rate leaves out the server's start-up
                }
                LockResult lock = channel.lockMutex.lock(Contract.CLIENT_LOCK_WAIT);
                if (lock == LockResult.TIMEOUT) {
                    throw new Cli.Failure("the mutex stayed locked for " + Contract.CLIENT_LOCK_WAIT.toMillis()
                            + " ms after " + received + " records");
                }
                if (lock == LockResult.ABANDONED) {
                    // The buffer may be half-written: do not read it.
                    throw new Cli.Failure("the server died holding the mutex (abandoned) after " + received + " records");
                }
                byte[] bytes = new byte[Contract.RECORD_SIZE];
                channel.buffer.buffer().get(0, bytes);
                channel.lockMutex.unlock();
                channel.clientReadFinish.set();

                FindData record = FindData.fromBytes(bytes);
                if (record.isEnd()) {
                    break;
                }
                if (!quiet) {
                    say("File found : %s%s", record.fileName(), record.nameShortened() ? " (name shortened)" : "");
                }
                check(record.sequence());
            }
            nanos = System.nanoTime() - start;
        }

        /** WaitForSingleObject(hServerNewDataEvent, INFINITE), in bounded steps. */
        private void awaitNewData() throws InterruptedException {
            long idleSince = System.nanoTime();
            while (!channel.serverNewData.await(Contract.CLIENT_CHECK_EVERY)) {
                if (!server.isAlive()) {
                    throw new Cli.Failure("the server ended (" + exitOf(server) + ") after " + received + " records");
                }
                if (System.nanoTime() - idleSince > Contract.CLIENT_IDLE_LIMIT.toNanos()) {
                    throw new Cli.Failure("no record from the server for " + Contract.CLIENT_IDLE_LIMIT.toSeconds()
                            + " s after " + received + " records");
                }
            }
        }

        private void check(int sequence) {
            received++;
            if (sequence <= 0) {
                outOfOrder++; // not a number the server gives: count it against the stream
                return;
            }
            if (seen.get(sequence)) {
                duplicated++;
                return;
            }
            seen.set(sequence);
            if (sequence < highest) {
                outOfOrder++;
            }
            highest = Math.max(highest, sequence);
        }

        /** Numbers below the highest seen that never came. */
        int lost() {
            return highest - seen.cardinality();
        }

        boolean sequenceIntact() {
            return lost() == 0 && duplicated == 0 && outOfOrder == 0;
        }
    }

    private static String exitOf(JvmProcess server) {
        try {
            return "exit code " + server.waitFor(Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            return "exit code unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "exit code unknown";
        }
    }

    private static int awaitServer(JvmProcess server) throws InterruptedException {
        try {
            return server.waitFor(SERVER_EXIT_WAIT);
        } catch (TimeoutException e) {
            throw new Cli.Failure("the server did not exit within " + SERVER_EXIT_WAIT.toSeconds() + " s after the end record");
        }
    }

    /**
     * The DIRECTORY argument: an empty one is bad input ({@code Path.of("")} would be the
     * current directory). Shared with the server.
     */
    static Path directoryArgument(String argument) {
        if (argument.isEmpty()) {
            throw new Cli.UsageException("DIRECTORY is empty: give the directory to list");
        }
        return Path.of(argument);
    }

    /** A DIRECTORY that is missing or is not a directory: one line that says which. Shared with the server. */
    static void checkDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new Cli.Failure((Files.exists(directory) ? "not a directory: " : "no such directory: ") + directory);
        }
    }

    /**
     * {@code --remove-stale}: what a crashed run left behind on Linux or macOS, and only if it is
     * this module's (see {@link StaleObjects}): one line per object. Exit 1 if an object was left.
     */
    private static int removeStale(Contract.Names names) {
        if (!OsFamily.current().isPosix()) {
            say("nothing to remove: Windows deletes the objects with their last handle");
            return Cli.EXIT_OK;
        }
        long refused = 0;
        for (StaleObjects.Outcome outcome : StaleObjects.remove(names)) {
            say("%s", outcome.line());
            refused += outcome.refused() ? 1 : 0;
        }
        if (refused > 0) {
            throw new Cli.Failure("left " + refused + (refused == 1 ? " object" : " objects") + " in place, as said above");
        }
        return Cli.EXIT_OK;
    }

    private static void say(String format, Object... args) {
        System.out.println("[" + ROLE + "] " + String.format(Locale.ROOT, format, args));
    }
}
