package dev.shmipc.eventsync;

import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.program.Cli;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The server of article 004, part 2: walks a directory tree and hands every file's
 * {@code WIN32_FIND_DATAW} to the client through the one-record buffer, then an empty record.
 *
 * <p>Per file, as the article's {@code FileFoundCallback}: wait for ClientReadFinish (5000 ms,
 * give up on timeout), lock the mutex, copy the record in, unlock, set ServerNewData. The
 * article waits for the mutex INFINITE; here that wait is 5000 ms too. The walk is
 * {@link Walker}'s, the article's {@code FindFile}.
 *
 * <p>What the article does not do: the record carries a sequence number in {@code dwReserved0},
 * and a server whose client ({@code --client-pid}) is gone when it ends, on any way out, Ctrl-C
 * included, removes the objects the client could not and keeps its last lines in a log
 * ({@link Channel#open}, {@link ServerLog}).
 */
public final class Server {
    static final String ROLE = "server";
    static final String USAGE = "Server DIRECTORY [--repeat N] [--names BASE] [--global] [--client-pid PID]";

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
        Path directory = Walker.directoryArgument(positional.get(0));
        int repeat = args.intOption("repeat", 1, 1, 1_000_000);
        Contract.Names names = Contract.Names.from(args);
        long clientPid = args.longOption("client-pid", 0, 1, Long.MAX_VALUE); // 0: not started by a client

        Cli.say("hallo from server");
        Walker.checkDirectory(directory);

        // OpenEvent, OpenEvent, OpenMutex, OpenFileMapping, MapViewOfFile. The article asks for one
        // right per event (EVENT_MODIFY_STATE for the one it sets, SYNCHRONIZE for the one it
        // waits on); NamedEvent asks for EVENT_MODIFY_STATE|SYNCHRONIZE on both.
        try (Channel channel = Cli.attach(() -> Channel.open(names, clientPid),
                e -> "can not get sync handles: " + e.getMessage() + " (the client creates them)")) {
            Sender sender = new Sender(channel);
            Walker walker = new Walker(sender::send);
            walker.walk(directory, repeat);
            // send one empty "data" to inform that we are done
            sender.send(FindData.END);
            // wait for the last client read
            if (!channel.clientReadFinish.await(Contract.SERVER_WAIT)) {
                throw new Cli.Failure("the client did not confirm the end record within "
                        + Contract.SERVER_WAIT.toMillis() + " ms");
            }
            Cli.say("sent %d records, skipped %d unreadable entries", sender.sent, walker.skipped());
        }
        Cli.say("server done");
        return Cli.EXIT_OK;
    }

    /** One record at a time into the shared buffer: the article's {@code FileFoundCallback}. */
    private static final class Sender {
        private final Channel channel;
        private int sent;

        Sender(Channel channel) {
            this.channel = channel;
        }

        void send(FindData record) throws InterruptedException {
            if (!channel.clientReadFinish.await(Contract.SERVER_WAIT)) {
                throw giveUp("the client did not read for " + Contract.SERVER_WAIT.toMillis() + " ms", record);
            }
            LockResult lock = channel.lockMutex.lock(Contract.SERVER_WAIT);
            if (lock == LockResult.TIMEOUT) {
                throw giveUp("the mutex stayed locked for " + Contract.SERVER_WAIT.toMillis() + " ms", record);
            }
            if (lock == LockResult.ABANDONED) {
                channel.lockMutex.unlock();
                throw giveUp("the client died holding the mutex", record);
            }
            // here we own the mutex, and we can copy our data to the shared memory
            channel.buffer.buffer().put(Contract.RECORD_OFFSET, record.toBytes());
            channel.lockMutex.unlock();
            channel.serverNewData.set();
            if (!record.isEnd()) {
                sent++;
            }
        }

        private Cli.Failure giveUp(String why, FindData record) {
            String what = record.isEnd() ? "the end record" : "record " + record.sequence();
            return new Cli.Failure(why + "; giving up before " + what + " (" + sent + " sent)");
        }
    }
}
