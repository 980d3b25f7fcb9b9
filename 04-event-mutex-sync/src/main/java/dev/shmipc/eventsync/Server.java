package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The server of article 004, part 2: walks a directory tree and hands every file's
 * {@code WIN32_FIND_DATAW} to the client through the one-record buffer, then an empty record.
 *
 * <p>Per file, as the article's {@code FileFoundCallback}: wait for ClientReadFinish (5000 ms,
 * give up on timeout), lock the mutex, copy the record in, unlock, set ServerNewData. The
 * article waits for the mutex INFINITE; here that wait is 5000 ms too. Directories are walked,
 * not sent, as in the article; symbolic links are sent as entries, not followed.
 *
 * <p>What the article does not do: a directory it cannot read is reported and skipped, and the
 * walk goes on; a name too long for {@code cFileName} is shortened and said; the record carries a
 * sequence number in {@code dwReserved0}. If the client ({@code --client-pid}) is gone when the
 * server ends, on any way out but success, Ctrl-C included, the server removes the objects the
 * client could not, provided their names still belong to this run (the run token, see
 * {@link Contract}). Its output went through that client, so from then on the server writes its
 * lines to {@link #logFile} as well ({@code java.io.tmpdir/04-event-mutex-sync-server-<pid>.log}).
 */
public final class Server {
    static final String ROLE = "server";
    static final String USAGE = "Server DIRECTORY [--repeat N] [--names BASE] [--global] [--client-pid PID]";
    /** Where the lines go once the client is gone, if they go anywhere but its dead pipe. */
    private static Path keptIn;

    private Server() {
    }

    public static void main(String[] argv) {
        // The server notices a dead client itself (--client-pid), says so and cleans up after
        // it: Cli's general rule, end at once with the process that started it, would cut that short.
        System.clearProperty(Cli.PARENT_PID_PROPERTY);
        Cli.main(ROLE, USAGE, Set.of("repeat", "names", "client-pid"), Set.of("global"), argv, Server::run);
    }

    static int run(Cli.Args args) throws Exception {
        List<String> positional = args.positional(1);
        if (positional.isEmpty()) {
            throw new Cli.UsageException("the directory to list is missing");
        }
        Path directory = Client.directoryArgument(positional.get(0));
        int repeat = args.intOption("repeat", 1, 1, 1_000_000);
        Contract.Names names = Contract.Names.from(args);
        long clientPid = args.longOption("client-pid", 0, 1, Long.MAX_VALUE); // 0: not started by a client

        say("hallo from server");
        Client.checkDirectory(directory);

        // OpenEvent, OpenEvent, OpenMutex, OpenFileMapping, MapViewOfFile. The article asks for one
        // right per event (EVENT_MODIFY_STATE for the one it sets, SYNCHRONIZE for the one it
        // waits on); NamedEvent asks for EVENT_MODIFY_STATE|SYNCHRONIZE on both.
        Channel channel;
        try {
            channel = Channel.open(names);
        } catch (IpcException e) {
            throw new Cli.Failure("can not get sync handles: " + e.getMessage() + " (the client creates them)");
        }
        // A client that dies cannot remove its names on POSIX, so the server does on every way
        // out, Ctrl-C included (a shutdown hook), if the client is gone by then.
        long runToken = channel.runToken();
        Thread cleanUpHook = new Thread(() -> cleanUpAfter(clientPid, names, runToken), "clean up after the client");
        try (channel) {
            if (clientPid != 0) {
                Runtime.getRuntime().addShutdownHook(cleanUpHook);
            }
            Sender sender = new Sender(channel);
            Walker walker = new Walker(sender);
            Path start = directory.toRealPath(); // a link to a directory is walked, not sent
            for (int round = 0; round < repeat; round++) {
                Files.walkFileTree(start, walker);
            }
            // send one empty "data" to inform that we are done
            sender.send(FindData.END);
            // wait for the last client read
            if (!channel.clientReadFinish.await(Contract.SERVER_WAIT)) {
                throw new Cli.Failure("the client did not confirm the end record within "
                        + Contract.SERVER_WAIT.toMillis() + " ms");
            }
            say("sent %d records, skipped %d unreadable entries", sender.sent, walker.skipped);
        } catch (Throwable e) { // every failure, not only the expected ones
            cleanUpAfter(clientPid, names, runToken);
            if (e instanceof IOException io) {
                throw new Cli.Failure("cannot list " + directory + ": " + Walker.reason(io));
            }
            throw e;
        } finally {
            if (clientPid != 0) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanUpHook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running; it checks again whether there is anything to remove.
                }
            }
        }
        say("server done");
        return Cli.EXIT_OK;
    }

    /** One record at a time into the shared buffer: the article's {@code FileFoundCallback}. */
    static final class Sender {
        private final Channel channel;
        private int sent;

        Sender(Channel channel) {
            this.channel = channel;
        }

        /** The next sequence number: 1, 2, 3 ... (the end record keeps 0). */
        int next() {
            return sent + 1;
        }

        void send(FindData record) throws InterruptedException {
            String what = record.isEnd() ? "the end record" : "record " + record.sequence();
            if (!channel.clientReadFinish.await(Contract.SERVER_WAIT)) {
                throw new Cli.Failure("the client did not read for " + Contract.SERVER_WAIT.toMillis()
                        + " ms; giving up before " + what + " (" + sent + " sent)");
            }
            LockResult lock = channel.lockMutex.lock(Contract.SERVER_WAIT);
            if (lock == LockResult.TIMEOUT) {
                throw new Cli.Failure("the mutex stayed locked for " + Contract.SERVER_WAIT.toMillis()
                        + " ms; giving up before " + what + " (" + sent + " sent)");
            }
            if (lock == LockResult.ABANDONED) {
                channel.lockMutex.unlock();
                throw new Cli.Failure("the client died holding the mutex; giving up before " + what
                        + " (" + sent + " sent)");
            }
            // here we own the mutex, and we can copy our data to the shared memory
            channel.buffer.buffer().put(0, record.toBytes());
            channel.lockMutex.unlock();
            channel.serverNewData.set();
            if (!record.isEnd()) {
                sent++;
            }
        }
    }

    /** The article's recursive {@code FindFile}, as a {@link java.nio.file.FileVisitor}. */
    static final class Walker extends SimpleFileVisitor<Path> {
        private final Sender sender;
        private int skipped;

        Walker(Sender sender) {
            this.sender = sender;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            FindData record = FindData.of(file, attributes, sender.next());
            if (record.nameShortened()) {
                say("name longer than %d characters, sent shortened: %s", FindData.MAX_NAME_LENGTH, file.getFileName());
            }
            try {
                sender.send(record);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cli.Failure("interrupted");
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            skipped++;
            say("cannot read %s (%s), skipped", file, reason(e));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
                skipped++;
                say("cannot read all of %s (%s), skipped the rest", dir, reason(e));
            }
            return FileVisitResult.CONTINUE;
        }

        static String reason(IOException e) {
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (e instanceof NoSuchFileException) {
                return "it vanished";
            }
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * The client is gone and cannot remove its objects on POSIX: the server does, if the names
     * still belong to this run. A client stopped by a signal has had its names removed by its
     * own exit hooks, and a new client may have made them anew since: those are not touched.
     * A client that has ended but is not reaped yet (a zombie) is gone: {@link Processes#isAlive}.
     * With the client, the server's output has lost its reader: from here on every line also
     * goes to {@link #logFile}.
     */
    private static synchronized void cleanUpAfter(long clientPid, Contract.Names names, long runToken) {
        if (clientPid == 0 || Processes.isAlive(clientPid)) {
            return; // no client to clean up after, or it removes them itself
        }
        keepLinesIn(logFile(ProcessHandle.current().pid()), clientPid);
        if (!OsFamily.current().isPosix()) {
            return; // Windows deletes the objects with their last handle
        }
        if (!Channel.belongsTo(names, runToken)) {
            say("the client (pid %d) is gone; its names are gone too or belong to another run: left them", clientPid);
            return;
        }
        List<String> removed = Channel.removeAll(names);
        if (!removed.isEmpty()) {
            say("the client (pid %d) is gone; removed what it left: %s", clientPid, String.join(", ", removed));
        }
    }

    /**
     * Where a server whose client has died writes its lines as well: its output went through the
     * client, and now nothing reads it. One file per server, in {@code java.io.tmpdir}.
     */
    static Path logFile(long serverPid) {
        return Path.of(System.getProperty("java.io.tmpdir"), "04-event-mutex-sync-server-" + serverPid + ".log");
    }

    /** From now on, standard output and standard error also go to {@code log}; once. */
    private static void keepLinesIn(Path log, long clientPid) {
        if (keptIn != null) {
            return;
        }
        OutputStream file;
        try {
            file = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | UnsupportedOperationException e) {
            say("the client (pid %d) is gone, and so is my output; cannot keep it in %s either: %s", clientPid, log, e);
            return;
        }
        keptIn = log;
        System.setOut(tee(System.out, file));
        System.setErr(tee(System.err, file));
        say("the client (pid %d) is gone, and nothing reads my output any more: it goes to %s as well", clientPid, log);
    }

    private static PrintStream tee(PrintStream dead, OutputStream file) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                dead.write(b); // a PrintStream never throws: a closed pipe only sets its error flag
                file.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                dead.write(bytes, offset, length);
                file.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                dead.flush();
                file.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static void say(String format, Object... args) {
        System.out.println("[" + ROLE + "] " + String.format(Locale.ROOT, format, args));
    }
}
