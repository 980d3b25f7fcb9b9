package dev.shmipc.common;

import java.time.Duration;

/**
 * A named auto-reset event shared between processes: one {@link #set()} releases one
 * {@link #await(Duration)}, and the event resets as that wait returns. Setting an event that is
 * already set leaves it set once: two sets before a wait release one wait, not two.
 *
 * <table>
 *   <caption>What each method does on each OS</caption>
 *   <tr><th>method</th><th>Linux, macOS</th><th>Windows</th></tr>
 *   <tr><td>{@link #create}</td><td>control block ({@code shm_open(O_CREAT|O_EXCL)}, the flag
 *       set or not), {@code sem_open(O_CREAT|O_EXCL, 0600, 0)}</td>
 *       <td>{@code CreateEvent(NULL, FALSE, initiallySet, name)}, fails on
 *       {@code ERROR_ALREADY_EXISTS}</td></tr>
 *   <tr><td>{@link #open}</td><td>{@code shm_open}, {@code sem_open(0)}</td>
 *       <td>{@code OpenEvent(EVENT_MODIFY_STATE|SYNCHRONIZE)}</td></tr>
 *   <tr><td>{@link #set}</td><td>flag 0 to 1 (compare-and-set); {@code sem_post} only if a
 *       waiter sleeps</td><td>{@code SetEvent}</td></tr>
 *   <tr><td>{@link #await}</td><td>flag 1 to 0 (compare-and-set), at once or in an adaptive
 *       spin; else sleeps in {@code sem_timedwait} (Linux) or {@code sem_trywait} polling
 *       (macOS) and looks again</td><td>{@code WaitForSingleObject}</td></tr>
 *   <tr><td>{@link #close}</td><td>{@code sem_close}, {@code munmap}</td><td>{@code CloseHandle}</td></tr>
 *   <tr><td>{@link #unlink(String)}</td><td>{@code sem_unlink}, {@code shm_unlink}</td><td>nothing</td></tr>
 * </table>
 *
 * <p><b>Auto-reset on POSIX.</b> The event's state is a flag in a shared control block (see
 * {@link PosixSync}), and the semaphore is only where a waiter sleeps when the setter is slow
 * ({@link PosixEvent} has the rules). A set is a compare-and-set of the flag from 0 to 1, a wait
 * one from 1 to 0: the reset is where the wait takes effect, and sets that come while the flag
 * is 1 merge into one. While the two sides answer each other within microseconds, neither makes
 * a system call. This is close to Windows, not the same: there a wait has completed once it is
 * woken, and a {@code SetEvent} after that sets the event again, while here a set can still
 * merge into a wait that has been woken but not yet reset the flag. Where the two sides strictly
 * alternate (one set, then one wait for the answer, as in 04-event-mutex-sync) no set can come
 * in that gap, and the two behave alike. A process killed in the middle of a call costs at most
 * one slice of a waiter's time ({@value Deadline#SLICE_MILLIS} ms), never a lost set.
 *
 * <p><b>Lifetime and names.</b> As with {@link SharedMemory}: on POSIX the names (the semaphore
 * {@code /name}, shown on Linux as {@code /dev/shm/sem.name}, and the control block
 * {@code /name}) outlive every process until {@link #unlink(String)}; on Windows the event
 * dies with its last handle. An event's name cannot also name a mapping or mutex, on any OS.
 *
 * <p><b>Threads.</b> Any thread may set or wait, also on one instance. {@link #close()} must
 * come after every other call has returned.
 */
public final class NamedEvent implements AutoCloseable {
    /**
     * Linux and macOS: the size of the shared-memory control block that an event or mutex keeps
     * under its name beside its semaphore ({@code common/README.md} has the protocol). An object
     * of this size without its semaphore is what a creator stopped half-way leaves.
     */
    public static final int POSIX_CONTROL_BLOCK_SIZE = PosixSync.SIZE;

    private final ObjectName name;
    private final Sync.Event event;

    private NamedEvent(ObjectName name, Sync.Event event) {
        this.name = name;
        this.event = event;
    }

    /**
     * Creates a new event, set or not.
     *
     * @throws IpcException with {@link IpcException.Reason#ALREADY_EXISTS} if the name is taken
     */
    public static NamedEvent create(String name, boolean initiallySet) {
        ObjectName objectName = ObjectName.of(name);
        return new NamedEvent(objectName, Sync.Backend.current().createEvent(objectName, initiallySet));
    }

    /**
     * Opens an existing event.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} if there is none
     */
    public static NamedEvent open(String name) {
        ObjectName objectName = ObjectName.of(name);
        return new NamedEvent(objectName, Sync.Backend.current().openEvent(objectName));
    }

    /** Sets the event: one waiter, now or the next to come, returns true. Setting it again does nothing. */
    public void set() {
        event.set();
    }

    /**
     * Waits until the event is set and resets it, or until {@code timeout} passes.
     * {@link Duration#ZERO} only looks.
     *
     * @return true if the event was set (and is now reset), false if the time ran out
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return event.await(Deadline.requireValid(timeout));
    }

    /**
     * Removes the event's names so that no one can open it any more; processes that have it open
     * keep using it. POSIX: {@code sem_unlink} and {@code shm_unlink} of the control block.
     * Windows: nothing to remove (false); the event dies with its last handle.
     *
     * @return true if a name was removed, false if there was none
     */
    public static boolean unlink(String name) {
        return Sync.Backend.current().unlink(ObjectName.of(name));
    }

    /** Removes this event's names now; see {@link #unlink(String)}. Cancels {@link #unlinkOnExit()}. */
    public boolean unlink() {
        return event.unlink();
    }

    /**
     * Removes the names when the JVM exits, also on Ctrl-C (SIGINT) or SIGTERM, unless
     * {@link #unlink()} removed them first. Nothing runs on SIGKILL; on POSIX the names are then
     * left behind for {@link #unlink(String)}. Does nothing on Windows.
     *
     * @return this
     */
    public NamedEvent unlinkOnExit() {
        event.unlinkOnExit();
        return this;
    }

    /** The portable name this event was created or opened with. */
    public String name() {
        return name.name();
    }

    /** Lets go of the event (the names stay; see {@link #unlink()}). Idempotent. */
    @Override
    public void close() {
        event.close();
    }

    @Override
    public String toString() {
        return "NamedEvent[" + name.nativeName() + "]";
    }
}
