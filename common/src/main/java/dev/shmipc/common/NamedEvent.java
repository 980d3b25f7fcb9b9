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
 *   <tr><td>{@link #create}</td><td>control block ({@code shm_open(O_CREAT|O_EXCL)}),
 *       {@code sem_open(O_CREAT|O_EXCL, 0600, initiallySet ? 1 : 0)}</td>
 *       <td>{@code CreateEvent(NULL, FALSE, initiallySet, name)}, fails on
 *       {@code ERROR_ALREADY_EXISTS}</td></tr>
 *   <tr><td>{@link #open}</td><td>{@code shm_open}, {@code sem_open(0)}</td>
 *       <td>{@code OpenEvent(EVENT_MODIFY_STATE|SYNCHRONIZE)}</td></tr>
 *   <tr><td>{@link #set}</td><td>flag 0 to 1 (compare-and-set), then {@code sem_post}</td>
 *       <td>{@code SetEvent}</td></tr>
 *   <tr><td>{@link #await}</td><td>{@code sem_timedwait} (Linux) or {@code sem_trywait} polling
 *       (macOS), then flag 1 to 0</td><td>{@code WaitForSingleObject}</td></tr>
 *   <tr><td>{@link #close}</td><td>{@code sem_close}, {@code munmap}</td><td>{@code CloseHandle}</td></tr>
 *   <tr><td>{@link #unlink(String)}</td><td>{@code sem_unlink}, {@code shm_unlink}</td><td>nothing</td></tr>
 * </table>
 *
 * <p><b>Auto-reset on POSIX.</b> A semaphore counts: posting it twice would release two waits.
 * So the event's state is a flag in a shared control block (see {@link PosixSync}), and the
 * semaphore only wakes waiters ({@link PosixEvent}). The rules:
 * <ul>
 *   <li>{@code set}: compare-and-set the flag from 0 to 1; only the caller that made that
 *       change posts. A set while the flag is 1 does nothing: sets that come while the event is
 *       set merge into one.</li>
 *   <li>{@code await}: take the semaphore, then compare-and-set the flag from 1 to 0. The reset
 *       is that second step, and it is where the wait takes effect: a {@code set} that comes
 *       between the two steps finds the event still set and does nothing. No set is lost: the
 *       flag was 1 when it came, and this wait consumes it. This is close to Windows, not the
 *       same: there a wait has completed once it is woken, and a {@code SetEvent} after that
 *       sets the event again, while here a set can still merge into a wait that has taken the
 *       semaphore but not yet reset the flag. Where the two sides strictly alternate (one set,
 *       then one wait for the answer, as in 04-event-mutex-sync) no set can come in that gap,
 *       and the two behave alike.</li>
 *   <li>Invariant, as long as no process dies mid-call and no wait has had to recover (below):
 *       flag = semaphore value + waiters between their two steps + setters between theirs. So
 *       the semaphore's value is at most one, and the flag is 1 exactly when a wait is owed.</li>
 *   <li>Recovery: a process killed between its two steps would leave the flag at 1 with no
 *       post to match, and every later wait would time out. So a wait that times out checks the
 *       flag and, if it is 1, resets it and succeeds: the event was set. If a live setter was
 *       only slow, its post arrives later as a surplus, and the invariant no longer holds: the
 *       semaphore may now count more posts than there are sets owed (its value can exceed one).
 *       A wait that takes a surplus post finds the flag 0 (its compare-and-set fails) and goes
 *       on waiting, so a surplus post never counts as a signal; it only wakes a waiter early.</li>
 * </ul>
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
