package dev.shmipc.eventsync;

import dev.shmipc.common.CloseHelper;
import dev.shmipc.common.ExitHook;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.Processes;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The four objects of one run, as the client creates them and the server opens them, and their
 * whole lifecycle: one owner closes them all, and the names are removed on every way out, by
 * whoever can. The client, which created them, removes them when it closes the channel and when
 * its JVM exits (Ctrl-C included), and only the names it created: a second client, whose create
 * fails, leaves the first one's alone. The server removes them only after a dead client (see
 * {@link #open}), and only if they still carry that client's run token ({@link Contract}).
 */
final class Channel implements AutoCloseable {
    final NamedEvent serverNewData;
    final NamedEvent clientReadFinish;
    final NamedMutex lockMutex;
    final SharedMemory buffer;
    private final Owned owned;

    private Channel(Owned owned, NamedEvent serverNewData, NamedEvent clientReadFinish, NamedMutex lockMutex,
            SharedMemory buffer) {
        this.owned = owned;
        this.serverNewData = serverNewData;
        this.clientReadFinish = clientReadFinish;
        this.lockMutex = lockMutex;
        this.buffer = buffer;
    }

    /**
     * The client's side: {@code CreateFileMapping} and {@code MapViewOfFile} of one record, the
     * run token and the mark, then, in the article's order, {@code CreateEvent(NULL, FALSE, FALSE,
     * ServerNewData)}, {@code CreateEvent(NULL, FALSE, TRUE, ClientReadFinish)} and
     * {@code CreateMutex(NULL, TRUE, LockMutex)}. The article makes the mapping last; here it
     * comes first because it carries the run token (see {@link #belongsTo}), and because in
     * {@code Global\} it is the one object that needs a privilege: without it, the first create
     * fails and nothing else has been made. Every name is removed when the JVM exits, Ctrl-C
     * included. If one create fails, the objects made before it are closed and removed.
     *
     * @throws IpcException with {@link IpcException.Reason#ALREADY_EXISTS} if a name is taken
     */
    static Channel create(Contract.Names names) {
        Owned owned = new Owned();
        try {
            // Each object is owned (closed and removed if a later step fails) before its exit hook.
            SharedMemory buffer = owned.created(SharedMemory.create(names.mapping(), Contract.MAPPING_SIZE),
                    SharedMemory::unlink).unlinkOnExit();
            buffer.setLongRelease(Contract.RUN_TOKEN_OFFSET, newRunToken());
            buffer.setLongRelease(Contract.MARK_OFFSET, Contract.MARK);
            NamedEvent serverNewData = owned.created(NamedEvent.create(names.serverNewData(), false),
                    NamedEvent::unlink).unlinkOnExit();
            NamedEvent clientReadFinish = owned.created(NamedEvent.create(names.clientReadFinish(), true),
                    NamedEvent::unlink).unlinkOnExit();
            NamedMutex lockMutex = owned.created(NamedMutex.create(names.lockMutex(), true),
                    NamedMutex::unlink).unlinkOnExit();
            return new Channel(owned, serverNewData, clientReadFinish, lockMutex, buffer);
        } catch (RuntimeException e) {
            owned.release();
            throw e;
        }
    }

    /**
     * The server's side: {@code OpenEvent}, {@code OpenEvent}, {@code OpenMutex},
     * {@code OpenFileMapping} and {@code MapViewOfFile}.
     *
     * <p>A client that dies cannot remove its names on POSIX. So if {@code clientPid} (the client
     * that started this server; 0 for none) is gone when this channel closes or when the JVM
     * exits, Ctrl-C included, the server removes the four names, provided they still belong to
     * the client's run ({@link #belongsTo}). With the client, the server's output has lost its
     * reader: from then on its lines go to {@link ServerLog} as well.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} if an object is missing
     */
    static Channel open(Contract.Names names, long clientPid) {
        Owned owned = new Owned();
        try {
            NamedEvent serverNewData = owned.opened(NamedEvent.open(names.serverNewData()));
            NamedEvent clientReadFinish = owned.opened(NamedEvent.open(names.clientReadFinish()));
            NamedMutex lockMutex = owned.opened(NamedMutex.open(names.lockMutex()));
            // The record is all the server needs: a native client's mapping has no token after it.
            SharedMemory buffer = owned.opened(SharedMemory.open(names.mapping(), FindData.SIZE));
            if (clientPid != 0) {
                owned.afterClose(AfterClient.watch(names, clientPid, tokenOf(buffer)));
            }
            return new Channel(owned, serverNewData, clientReadFinish, lockMutex, buffer);
        } catch (RuntimeException e) {
            owned.release();
            throw e;
        }
    }

    private static long tokenOf(SharedMemory mapping) {
        // Where the OS rounds sizes up to pages, a 592-byte mapping reads 0 here: no token.
        return mapping.size() >= Contract.MAPPING_SIZE ? mapping.getLongAcquire(Contract.RUN_TOKEN_OFFSET)
                : Contract.NO_TOKEN;
    }

    private static long newRunToken() {
        SecureRandom random = new SecureRandom();
        long token;
        do {
            token = random.nextLong();
        } while (token == Contract.NO_TOKEN);
        return token;
    }

    /**
     * True if {@code names} still name the objects of the run whose token is {@code runToken}:
     * the mapping of that name opens and carries that token. False if the mapping is gone or
     * carries another token: its names were removed, and perhaps made anew by a later run, whose
     * objects must be left alone. Without tokens (a native client's mapping, token 0) runs cannot
     * be told apart, and a mapping that opens counts as this run's, as it would in the article.
     * The client creates the mapping first, so a later run cannot have made the other three names
     * without it. (A later run that starts between this check and the removal would still lose
     * its names; that window is a few system calls wide.)
     */
    static boolean belongsTo(Contract.Names names, long runToken) {
        try (SharedMemory mapping = SharedMemory.open(names.mapping(), FindData.SIZE)) {
            return tokenOf(mapping) == runToken;
        } catch (IpcException e) {
            return false;
        }
    }

    /**
     * Closes all four (the mutex unlocked first if this thread holds it), and goes on if one
     * fails; the creator also removes their names, the server those of a dead client. Idempotent.
     */
    @Override
    public void close() {
        owned.release();
    }

    /**
     * The server's clean-up after a client that may die (see {@link #open}): runs once, when the
     * channel closes or the JVM exits, whichever comes first, and only if the client is gone by
     * then. A client that has ended but is not reaped yet (a zombie) is gone:
     * {@link Processes#isAlive}. A client stopped by a signal has had its names removed by its own
     * exit hooks, and a new client may have made them anew since: those are not touched.
     */
    private static final class AfterClient implements AutoCloseable {
        private final Contract.Names names;
        private final long clientPid;
        private final long runToken;
        private ExitHook hook;
        private boolean done;

        private AfterClient(Contract.Names names, long clientPid, long runToken) {
            this.names = names;
            this.clientPid = clientPid;
            this.runToken = runToken;
        }

        static AfterClient watch(Contract.Names names, long clientPid, long runToken) {
            AfterClient after = new AfterClient(names, clientPid, runToken);
            after.hook = ExitHook.addOrRunNow("clean up after the client", after::cleanUp);
            return after;
        }

        private synchronized void cleanUp() {
            if (done || Processes.isAlive(clientPid)) {
                return; // done already, or the client lives and removes them itself
            }
            done = true;
            ServerLog.keepLines(clientPid);
            if (!OsFamily.current().isPosix()) {
                return; // Windows deletes the objects with their last handle
            }
            if (!belongsTo(names, runToken)) {
                Cli.say("the client (pid %d) is gone; its names are gone too or belong to another run: left them",
                        clientPid);
                return;
            }
            List<String> removed = removeAll();
            if (!removed.isEmpty()) {
                Cli.say("the client (pid %d) is gone; removed what it left: %s", clientPid, String.join(", ", removed));
            }
        }

        /** Removes the four names without looking at them (a crashed run's are {@link StaleObjects}' job). */
        private List<String> removeAll() {
            List<String> removed = new ArrayList<>();
            for (String event : List.of(names.serverNewData(), names.clientReadFinish())) {
                if (NamedEvent.unlink(event)) {
                    removed.add(event);
                }
            }
            if (NamedMutex.unlink(names.lockMutex())) {
                removed.add(names.lockMutex());
            }
            if (SharedMemory.unlink(names.mapping())) {
                removed.add(names.mapping());
            }
            return removed;
        }

        /** Cleans up now, if the client is gone; the hook is no longer needed either way. */
        @Override
        public void close() {
            hook.cancel(); // false if it is running: cleanUp then waits for it, and finds it done
            cleanUp();
        }
    }

    /**
     * What has been made so far: closed in the reverse order, then what must go after the
     * closes (the creator's names, the server's clean-up). Every step runs even if one before it
     * fails ({@link CloseHelper#closeAll}).
     */
    private static final class Owned {
        private final Deque<AutoCloseable> closes = new ArrayDeque<>();
        private final Deque<AutoCloseable> afterCloses = new ArrayDeque<>();
        private boolean released;

        <T extends AutoCloseable> T opened(T object) {
            closes.push(object);
            return object;
        }

        /** An object this side created: closed, then its name removed. */
        <T extends AutoCloseable> T created(T object, Predicate<T> unlink) {
            afterCloses.push(() -> unlink.test(object));
            return opened(object);
        }

        void afterClose(AutoCloseable step) {
            afterCloses.push(step);
        }

        synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            CloseHelper.closeAll(Stream.concat(closes.stream(), afterCloses.stream()).toArray(AutoCloseable[]::new));
        }
    }
}
