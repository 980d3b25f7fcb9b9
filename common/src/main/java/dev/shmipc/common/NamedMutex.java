package dev.shmipc.common;

import java.time.Duration;

/**
 * A named mutex shared between processes, which reports a holder that died while holding it
 * the way Windows does ({@code WAIT_ABANDONED}): the next {@link #lock} gets the mutex and
 * {@link LockResult#ABANDONED}, and must decide whether the data the mutex guards can be trusted.
 *
 * <table>
 *   <caption>What each method does on each OS</caption>
 *   <tr><th>method</th><th>Linux, macOS</th><th>Windows</th></tr>
 *   <tr><td>{@link #create}</td><td>control block ({@code shm_open(O_CREAT|O_EXCL)}, the holder
 *       this process or none), {@code sem_open(O_CREAT|O_EXCL, 0600, 0)}</td>
 *       <td>{@code CreateMutex(NULL, initiallyOwned, name)}, fails on
 *       {@code ERROR_ALREADY_EXISTS}</td></tr>
 *   <tr><td>{@link #open}</td><td>{@code shm_open}, {@code sem_open(0)}</td>
 *       <td>{@code OpenMutex(MUTEX_MODIFY_STATE|SYNCHRONIZE)}</td></tr>
 *   <tr><td>{@link #lock}</td><td>holder 0 to this process (compare-and-set), at once or in an
 *       adaptive spin; else sleeps in {@code sem_timedwait} (Linux) or {@code sem_trywait}
 *       polling (macOS) and tries again; a dead holder is taken over</td>
 *       <td>{@code WaitForSingleObject}</td></tr>
 *   <tr><td>{@link #unlock}</td><td>holder back to 0; {@code sem_post} only if a locker
 *       sleeps</td><td>{@code ReleaseMutex}</td></tr>
 *   <tr><td>{@link #close}</td><td>{@code sem_close}, {@code munmap}</td><td>{@code CloseHandle}</td></tr>
 *   <tr><td>{@link #unlink(String)}</td><td>{@code sem_unlink}, {@code shm_unlink}</td><td>nothing</td></tr>
 * </table>
 *
 * <p><b>Ownership.</b> A mutex is locked by a thread through a handle (an instance of this
 * class) and must be unlocked by the same thread through the same handle. Locks do not nest
 * per handle: locking again through the handle that holds it is an
 * {@link IllegalStateException} on every OS. Across handles the OSes differ, and this class does
 * not hide it: a thread that holds the mutex through one handle and locks a second handle of the
 * same mutex gets it at once on Windows (which counts a thread's recursive locks) and times out
 * on POSIX (the holder is recorded per process, not per thread). Use one handle per thread.
 * {@link #close()} from the holding thread unlocks first. On Windows the thread must be a
 * platform thread: a Win32 mutex belongs to an OS thread, which a virtual thread can change
 * between lock and unlock, so {@link #lock} there refuses a virtual thread.
 *
 * <p><b>Abandoned mutexes on POSIX.</b> The mutex's lock word in its control block (see
 * {@link PosixSync} and {@link PosixMutex}) is its holder's record: the pid and the start time,
 * written by the same compare-and-set that takes the mutex, so a holder is recorded from its
 * first instant to its last. A sleeping {@code lock} looks at the record at least every
 * {@value Deadline#SLICE_MILLIS} ms; if the process is gone, it replaces the record with its
 * own by compare-and-set (so of several waiters exactly one wins) and owns the mutex.
 * Limits:
 * <ul>
 *   <li>Pid reuse: a new process with the dead holder's pid would look alive. The start time
 *       in the record tells them apart where the OS reports start times (Linux, macOS).</li>
 *   <li>Only a dead process is noticed, not a thread that ended while holding the mutex
 *       (Windows notices that too).</li>
 *   <li>Pid namespaces: the record holds the pid as the holder's own namespace numbers it. A
 *       waiter in another pid namespace (a container sharing the same {@code /dev/shm}) looks
 *       that pid up in its own: it finds no process, or another one, and takes over a mutex
 *       whose holder still lives. Share a mutex only within one pid namespace.</li>
 * </ul>
 *
 * <p><b>Lifetime and names.</b> As for {@link NamedEvent}: POSIX names stay until
 * {@link #unlink(String)}; a Windows mutex dies with its last handle.
 */
public final class NamedMutex implements AutoCloseable {
    /** How a {@link #lock} ended. */
    public enum LockResult {
        /** The mutex is now held by the caller. */
        ACQUIRED,
        /**
         * The mutex is now held by the caller, whose previous holder died while holding it
         * ({@code WAIT_ABANDONED}): what it guards may be half-written.
         */
        ABANDONED,
        /** The time ran out; the caller does not hold the mutex. */
        TIMEOUT;

        /** True for {@link #ACQUIRED} and {@link #ABANDONED}: the caller holds the mutex. */
        public boolean acquired() {
            return this != TIMEOUT;
        }
    }

    private final ObjectName name;
    private final Sync.Mutex mutex;
    private volatile Thread owner;

    private NamedMutex(ObjectName name, Sync.Mutex mutex, boolean owned) {
        this.name = name;
        this.mutex = mutex;
        this.owner = owned ? Thread.currentThread() : null;
    }

    /**
     * Creates a new mutex, held by the calling thread if {@code initiallyOwned}.
     *
     * @throws IpcException with {@link IpcException.Reason#ALREADY_EXISTS} if the name is taken
     */
    public static NamedMutex create(String name, boolean initiallyOwned) {
        ObjectName objectName = ObjectName.of(name);
        Sync.Mutex mutex = Sync.Backend.current().createMutex(objectName, initiallyOwned);
        return new NamedMutex(objectName, mutex, initiallyOwned);
    }

    /**
     * Opens an existing mutex; it is not locked by this call.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} if there is none
     */
    public static NamedMutex open(String name) {
        ObjectName objectName = ObjectName.of(name);
        return new NamedMutex(objectName, Sync.Backend.current().openMutex(objectName), false);
    }

    /**
     * Waits until the calling thread holds the mutex, or until {@code timeout} passes.
     * {@link Duration#ZERO} only tries.
     *
     * @return {@link LockResult#ACQUIRED} or {@link LockResult#ABANDONED} (held either way; see
     *         {@link LockResult#acquired()}), or {@link LockResult#TIMEOUT}
     * @throws IllegalStateException if this thread already holds it through this handle
     * @throws InterruptedException  if the thread is interrupted while it waits
     */
    public LockResult lock(Duration timeout) throws InterruptedException {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("mutex '" + name + "' is already locked by this thread; locks do not nest");
        }
        LockResult result = mutex.lock(Deadline.requireValid(timeout));
        if (result.acquired()) {
            owner = Thread.currentThread();
        }
        return result;
    }

    /**
     * Releases the mutex.
     *
     * @throws IllegalStateException if the calling thread does not hold it through this handle
     */
    public void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("mutex '" + name + "' is not locked by this thread");
        }
        owner = null;
        mutex.unlock();
    }

    /** True if the calling thread holds the mutex through this handle. */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Removes the mutex's names so that no one can open it any more; processes that have it
     * open keep using it. POSIX: {@code sem_unlink} and {@code shm_unlink} of the control block.
     * Windows: nothing to remove (false); the mutex dies with its last handle.
     *
     * @return true if a name was removed, false if there was none
     */
    public static boolean unlink(String name) {
        return Sync.Backend.current().unlink(ObjectName.of(name));
    }

    /** Removes this mutex's names now; see {@link #unlink(String)}. Cancels {@link #unlinkOnExit()}. */
    public boolean unlink() {
        return mutex.unlink();
    }

    /**
     * Removes the names when the JVM exits, also on Ctrl-C (SIGINT) or SIGTERM, unless
     * {@link #unlink()} removed them first. Nothing runs on SIGKILL; on POSIX the names are then
     * left behind for {@link #unlink(String)}. Does nothing on Windows.
     *
     * @return this
     */
    public NamedMutex unlinkOnExit() {
        mutex.unlinkOnExit();
        return this;
    }

    /** The portable name this mutex was created or opened with. */
    public String name() {
        return name.name();
    }

    /**
     * Unlocks the mutex if the calling thread holds it, then lets go of it (the names stay; see
     * {@link #unlink()}). Idempotent.
     */
    @Override
    public synchronized void close() {
        try {
            if (owner == Thread.currentThread()) {
                unlock();
            }
        } finally {
            mutex.close();
        }
    }

    @Override
    public String toString() {
        return "NamedMutex[" + name.nativeName() + "]";
    }
}
