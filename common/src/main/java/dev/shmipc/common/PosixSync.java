package dev.shmipc.common;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A named event or mutex on Linux and macOS: a POSIX named semaphore plus a small shared-memory
 * control block of the same name, which holds what a semaphore cannot (an event's set flag, a
 * mutex's holder). This class owns both parts and their names, and makes, opens and removes them;
 * {@link PosixEvent} and {@link PosixMutex} hold the protocol over them. The native calls sit
 * below: {@code sem_*} in {@link PosixSemaphore}, {@code shm_*} in {@link SharedMemory}'s
 * {@link PosixBackend}.
 *
 * <pre>
 *   control block "/name" (shm_open, {@value #SIZE} bytes)        semaphore "/name" (sem_open, value 0)
 *   0       4       8                16       20              32
 *   +-------+-------+----------------+--------+---------------+
 *   | kind  | state |     holder     |waiters |   reserved    |
 *   +-------+-------+----------------+--------+---------------+
 *   kind:    {@link #EVENT} or {@link #MUTEX}, written last by the creator (release), so an
 *            opener that sees it sees the rest; the only format marker
 *   state:   the event's flag, 1 set, 0 not set (0 in a mutex)
 *   holder:  the mutex's lock word: its holder's record, 0 when free (0 in an event)
 *   waiters: how many callers are in the slow path, asleep on the semaphore or about to be
 * </pre>
 *
 * <p>The semaphore carries no state: it is where a caller sleeps when the peer is slow, posted
 * only when {@code waiters} is not 0. {@code common/src/main/c/shmipc_sync.h} implements the
 * same protocol in C, and {@code common/README.md} specifies it.
 *
 * <p>Semaphores and shared memory are separate namespaces on POSIX, so one name serves both.
 * The control block does take the shared-memory name: an event or mutex and a
 * {@link SharedMemory} cannot have the same name, which is the rule Windows has anyway (events,
 * mutexes and mappings share one namespace there).
 */
abstract class PosixSync implements Sync {
    static final int KIND_OFFSET = 0;
    static final int STATE_OFFSET = 4;
    static final int HOLDER_OFFSET = 8;
    static final int WAITERS_OFFSET = 16;
    static final int SIZE = 32;

    /**
     * {@code 'EVT2'}: the control block of a {@link NamedEvent}. Protocol 1 (a 16-byte block
     * whose semaphore counted the state) used {@code 'EVNT'}: a peer of that protocol refuses
     * this block as not an event, and this side refuses its block likewise.
     */
    static final int EVENT = 0x45565432;
    /** {@code 'MTX2'}: the control block of a {@link NamedMutex} (protocol 1: {@code 'MUTX'}). */
    static final int MUTEX = 0x4D545832;

    private static final int MODE_0600 = Posix.mode(SharedMemory.OWNER_ONLY);

    /** The POSIX back end: a new event or mutex starts in its control block; its semaphore at 0. */
    static final Sync.Backend BACKEND = new Sync.Backend() {
        @Override
        public Sync.Event createEvent(ObjectName name, boolean initiallySet) {
            int state = initiallySet ? 1 : 0;
            return create(name, EVENT, control -> control.setIntRelease(STATE_OFFSET, state), PosixEvent::new);
        }

        @Override
        public Sync.Event openEvent(ObjectName name) {
            return open(name, EVENT, PosixEvent::new);
        }

        @Override
        public Sync.Mutex createMutex(ObjectName name, boolean initiallyOwned) {
            long holder = initiallyOwned ? PosixMutex.Holder.SELF : 0;
            return create(name, MUTEX, control -> control.setLongRelease(HOLDER_OFFSET, holder), PosixMutex::new);
        }

        @Override
        public Sync.Mutex openMutex(ObjectName name) {
            return open(name, MUTEX, PosixMutex::new);
        }

        @Override
        public boolean unlink(ObjectName name) {
            return PosixSync.unlink(name);
        }
    };

    /** How {@link #create} and {@link #open} hand the two parts to an event or mutex. */
    interface Parts<T extends PosixSync> {
        T of(ObjectName name, SharedMemory control, PosixSemaphore semaphore);
    }

    final ObjectName name;
    final SharedMemory control;
    final PosixSemaphore semaphore;
    private final Spin spin = new Spin();
    private ExitHook unlinkHook;

    PosixSync(ObjectName name, SharedMemory control, PosixSemaphore semaphore) {
        this.name = name;
        this.control = control;
        this.semaphore = semaphore;
    }

    /** One look at the control block that takes what a waiter waits for; true if it took it. */
    abstract boolean take();

    /** What one look in the slow path found: a result that ends the wait, or null to sleep on. */
    interface Look<R> {
        R look();
    }

    /**
     * The wait of {@code await} and {@code lock}: take at once; else spin, for as long as
     * {@link Spin} allows (not for a zero timeout, which only looks); else count this caller into
     * {@code waiters} and, until the deadline, {@code look} before every sleep on the semaphore
     * (at most one slice each). Returns {@code taken} if the fast path took, what {@code look}
     * found, or {@code timedOut}.
     */
    final <R> R await(Duration timeout, R taken, Look<R> look, R timedOut) throws InterruptedException {
        if (take()) {
            return taken;
        }
        if (timeout.isZero()) {
            // Only looks, and is not counted in: a poller counted in would make every set or
            // unlock meanwhile post for a sleeper that is not there.
            R result = look.look();
            return result != null ? result : timedOut;
        }
        Deadline deadline = Deadline.after(timeout);
        long limit = Math.min(spin.limit(), timeout.toNanos());
        long start = System.nanoTime();
        if (spin(start + limit)) {
            spin.took(System.nanoTime() - start, limit);
            return taken;
        }
        spin.missed(Runtime.getRuntime().availableProcessors());
        R result;
        control.getAndAddInt(WAITERS_OFFSET, 1);
        try {
            while ((result = look.look()) == null) {
                if (deadline.passed()) {
                    return timedOut;
                }
                boolean posted = semaphore.acquire(deadline.sliceEnd()); // a post or the slice's end: look again
                if (Thread.interrupted()) {
                    if (posted) {
                        semaphore.post(); // the post may have been another sleeper's: pass it on
                    }
                    throw new InterruptedException();
                }
            }
            return result;
        } finally {
            control.getAndAddInt(WAITERS_OFFSET, -1);
        }
    }

    /**
     * Tries to take until {@code end} ({@link System#nanoTime()}): after a pause each try, the
     * clock read every 64 tries; or, with one CPU, after yielding it each try.
     */
    private boolean spin(long end) {
        boolean yields = spin.yields();
        for (int i = 1;; i++) {
            if (yields) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
            if (take()) {
                return true;
            }
            if ((yields || (i & 63) == 0) && System.nanoTime() - end >= 0) {
                return false;
            }
        }
    }

    /**
     * Creates the control block (which claims the name, {@code O_EXCL}), lets {@code init} fill
     * it, marks it as {@code kind}, then creates the semaphore at 0. An opener
     * finds the object only once both exist. On failure nothing is left behind, and while this
     * runs a shutdown hook waits for it and removes what it made, so that Ctrl-C in the middle
     * leaves nothing either (the caller's {@link #unlinkOnExit()} takes over from there).
     */
    static <T extends PosixSync> T create(ObjectName name, int kind, Consumer<SharedMemory> init,
            Parts<T> parts) {
        // The guard removes what this call made, and only that (a semaphore that was someone
        // else's stays).
        boolean[] made = new boolean[2]; // [0] the control block, [1] the semaphore
        return ExitHook.guard("unlink " + name + " (being made)", () -> {
            SharedMemory control = SharedMemory.create(name.name(), SIZE);
            made[0] = true;
            try {
                init.accept(control);
                control.setIntRelease(KIND_OFFSET, kind);
                PosixSemaphore semaphore = PosixSemaphore.create(name, MODE_0600, 0);
                made[1] = true;
                return parts.of(name, control, semaphore);
            } catch (RuntimeException | Error e) {
                try {
                    control.close();
                    SharedMemory.unlink(name.name());
                    made[0] = false;
                } catch (RuntimeException cleanUp) {
                    e.addSuppressed(cleanUp); // the guard still removes what is left
                }
                throw e;
            }
        }, () -> {
            try {
                if (made[1]) {
                    PosixSemaphore.unlink(name);
                }
                if (made[0]) {
                    SharedMemory.unlink(name.name());
                }
            } catch (IpcException e) {
                System.err.println(e.getMessage());
            }
        });
    }

    /** Opens both parts and checks that the control block belongs to a {@code kind}. */
    static <T extends PosixSync> T open(ObjectName name, int kind, Parts<T> parts) {
        SharedMemory control = SharedMemory.open(name.name(), SIZE);
        try {
            int found = control.getIntAcquire(KIND_OFFSET);
            if (found != kind) {
                throw new IpcException("open", name.name(), 0, found == 0
                        ? "it is being created or is not a named " + kindName(kind)
                        : "it is a named " + kindName(found) + ", not a named " + kindName(kind),
                        found == 0 ? IpcException.Reason.NOT_FOUND : IpcException.Reason.OTHER);
            }
            return parts.of(name, control, PosixSemaphore.open(name));
        } catch (RuntimeException | Error e) {
            control.close();
            throw e;
        }
    }

    private static String kindName(int kind) {
        return kind == EVENT ? "event" : kind == MUTEX ? "mutex" : "synchronisation object";
    }

    /** Removes the semaphore's and the control block's names; true if either existed. */
    static boolean unlink(ObjectName name) {
        boolean semaphore = PosixSemaphore.unlink(name);
        boolean control = SharedMemory.unlink(name.name());
        return semaphore || control;
    }

    /** As {@link #unlink(ObjectName)}; cancels {@link #unlinkOnExit()}. */
    @Override
    public synchronized boolean unlink() {
        // Remove first, then cancel the hook: the other way round, a SIGTERM arriving between
        // the two would end the JVM with neither done.
        boolean removed = unlink(name);
        if (unlinkHook != null) {
            unlinkHook.cancel(); // false if it is running: it then finds nothing left to remove
            unlinkHook = null;
        }
        return removed;
    }

    /**
     * Removes both names when the JVM exits, Ctrl-C and SIGTERM included. If the JVM is exiting
     * already (too late for a hook), removes them now.
     */
    @Override
    public synchronized void unlinkOnExit() {
        if (unlinkHook == null) {
            unlinkHook = ExitHook.addOrRunNow("unlink " + name, () -> {
                try {
                    unlink(name);
                } catch (IpcException e) {
                    System.err.println(e.getMessage());
                }
            });
        }
    }

    /** Closes the semaphore and unmaps the control block; the names stay. Idempotent. */
    @Override
    public void close() {
        semaphore.close();
        control.close();
    }
}
