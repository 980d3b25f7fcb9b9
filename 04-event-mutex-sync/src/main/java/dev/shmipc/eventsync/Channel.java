package dev.shmipc.eventsync;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.SharedMemory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The four objects of one run, as the client creates them and the server opens them, with one
 * owner that closes them all. Only the side that created the objects removes their names, and
 * only the names it created: a second client, whose create fails, leaves the first one's alone.
 */
final class Channel implements AutoCloseable {
    final NamedEvent serverNewData;
    final NamedEvent clientReadFinish;
    final NamedMutex lockMutex;
    final SharedMemory buffer;
    private final Contract.Names names;
    private final Owned owned;
    private final boolean created;

    private Channel(Contract.Names names, Owned owned, boolean created, NamedEvent serverNewData,
            NamedEvent clientReadFinish, NamedMutex lockMutex, SharedMemory buffer) {
        this.names = names;
        this.owned = owned;
        this.created = created;
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
            // Each object is owned before its exit hook is asked for: if the JVM is shutting down
            // already, unlinkOnExit() throws and release() below still removes the name.
            SharedMemory buffer = owned.memory(SharedMemory.create(names.mapping(), Contract.MAPPING_SIZE))
                    .unlinkOnExit();
            buffer.setLongRelease(Contract.RUN_TOKEN_OFFSET, newRunToken());
            buffer.setLongRelease(Contract.MARK_OFFSET, Contract.MARK);
            NamedEvent serverNewData = owned.event(NamedEvent.create(names.serverNewData(), false)).unlinkOnExit();
            NamedEvent clientReadFinish = owned.event(NamedEvent.create(names.clientReadFinish(), true)).unlinkOnExit();
            NamedMutex lockMutex = owned.mutex(NamedMutex.create(names.lockMutex(), true)).unlinkOnExit();
            return new Channel(names, owned, true, serverNewData, clientReadFinish, lockMutex, buffer);
        } catch (RuntimeException e) {
            owned.release(true);
            throw e;
        }
    }

    /**
     * The server's side: {@code OpenEvent}, {@code OpenEvent}, {@code OpenMutex},
     * {@code OpenFileMapping} and {@code MapViewOfFile}. Removes nothing, ever.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} if an object is missing
     */
    static Channel open(Contract.Names names) {
        Owned owned = new Owned();
        try {
            NamedEvent serverNewData = owned.event(NamedEvent.open(names.serverNewData()));
            NamedEvent clientReadFinish = owned.event(NamedEvent.open(names.clientReadFinish()));
            NamedMutex lockMutex = owned.mutex(NamedMutex.open(names.lockMutex()));
            // The record is all the server needs: a native client's mapping has no token after it.
            SharedMemory buffer = owned.memory(SharedMemory.open(names.mapping(), Contract.RECORD_SIZE));
            return new Channel(names, owned, false, serverNewData, clientReadFinish, lockMutex, buffer);
        } catch (RuntimeException e) {
            owned.release(false);
            throw e;
        }
    }

    /**
     * The run token the creator wrote into the mapping: what tells this run's objects from a
     * later run's. {@link Contract#NO_TOKEN} for a mapping without one (made by a native client).
     */
    long runToken() {
        return tokenOf(buffer);
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
     * The client creates the mapping first, so a later run cannot
     * have made the other three names without it. (A later run that starts between this check
     * and the removal would still lose its names; that window is a few system calls wide.)
     */
    static boolean belongsTo(Contract.Names names, long runToken) {
        try (SharedMemory mapping = SharedMemory.open(names.mapping(), Contract.RECORD_SIZE)) {
            return tokenOf(mapping) == runToken;
        } catch (IpcException e) {
            return false;
        }
    }

    /**
     * Removes the names of all four objects without looking at them: for the server whose client
     * died, once {@link #belongsTo} has shown they are still its run's (a crashed run's objects,
     * which may not be this module's at all, are {@link StaleObjects}' job). Returns the names
     * removed (none on Windows).
     */
    static List<String> removeAll(Contract.Names names) {
        List<String> removed = new ArrayList<>();
        if (NamedEvent.unlink(names.serverNewData())) {
            removed.add(names.serverNewData());
        }
        if (NamedEvent.unlink(names.clientReadFinish())) {
            removed.add(names.clientReadFinish());
        }
        if (NamedMutex.unlink(names.lockMutex())) {
            removed.add(names.lockMutex());
        }
        if (SharedMemory.unlink(names.mapping())) {
            removed.add(names.mapping());
        }
        return removed;
    }

    /** Closes all four (the mutex unlocked first if this thread holds it); the creator also removes their names. Idempotent. */
    @Override
    public void close() {
        owned.release(created);
    }

    @Override
    public String toString() {
        return "Channel[" + names + "]";
    }

    /** What has been made so far, to close (and remove) in the reverse order. */
    private static final class Owned {
        private final List<Runnable> closes = new ArrayList<>();
        private final List<Runnable> unlinks = new ArrayList<>();
        private boolean released;

        NamedEvent event(NamedEvent event) {
            add(event::close, event::unlink);
            return event;
        }

        NamedMutex mutex(NamedMutex mutex) {
            add(mutex::close, mutex::unlink);
            return mutex;
        }

        SharedMemory memory(SharedMemory memory) {
            add(memory::close, memory::unlink);
            return memory;
        }

        private void add(Runnable close, Runnable unlink) {
            closes.add(0, close);
            unlinks.add(0, unlink);
        }

        synchronized void release(boolean unlink) {
            if (released) {
                return;
            }
            released = true;
            closes.forEach(Runnable::run);
            if (unlink) {
                unlinks.forEach(Runnable::run);
            }
        }
    }
}
