package dev.shmipc.common;

import com.sun.jna.platform.win32.WinBase;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A named mutex shared between processes, which reports a holder that died while holding it
 * the way Windows does ({@code WAIT_ABANDONED}): the next {@link #lock} gets the mutex and
 * {@link LockResult#ABANDONED}, and must decide whether the data the mutex guards can be trusted.
 *
 * <table>
 *   <caption>What each method does on each OS</caption>
 *   <tr><th>method</th><th>Linux, macOS</th><th>Windows</th></tr>
 *   <tr><td>{@link #create}</td><td>control block ({@code shm_open(O_CREAT|O_EXCL)}),
 *       {@code sem_open(O_CREAT|O_EXCL, 0600, initiallyOwned ? 0 : 1)}</td>
 *       <td>{@code CreateMutex(NULL, initiallyOwned, name)}, fails on
 *       {@code ERROR_ALREADY_EXISTS}</td></tr>
 *   <tr><td>{@link #open}</td><td>{@code shm_open}, {@code sem_open(0)}</td>
 *       <td>{@code OpenMutex(MUTEX_MODIFY_STATE|SYNCHRONIZE)}</td></tr>
 *   <tr><td>{@link #lock}</td><td>{@code sem_timedwait} (Linux) or {@code sem_trywait} polling
 *       (macOS), then the holder recorded; a dead holder is taken over</td>
 *       <td>{@code WaitForSingleObject}</td></tr>
 *   <tr><td>{@link #unlock}</td><td>holder cleared, {@code sem_post}</td><td>{@code ReleaseMutex}</td></tr>
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
 * on POSIX (a semaphore does not know who took it). Use one handle per thread.
 * {@link #close()} from the holding thread unlocks first. On Windows the thread must be a
 * platform thread: a Win32 mutex belongs to an OS thread, which a virtual thread can change
 * between lock and unlock, so {@link #lock} there refuses a virtual thread.
 *
 * <p><b>Abandoned mutexes on POSIX.</b> A semaphore does not know who took it, so the holder
 * records itself in the mutex's control block (see {@link PosixSync}): its pid and its start
 * time. A waiting {@code lock} looks at that record every {@value Deadline#SLICE_MILLIS} ms; if
 * the process is gone, it replaces the record with its own by compare-and-set (so of several
 * waiters exactly one wins) and owns the mutex: the semaphore is still taken, now on its behalf.
 * Limits:
 * <ul>
 *   <li>Pid reuse: a new process with the dead holder's pid would look alive. The start time
 *       in the record tells them apart where the OS reports start times (Linux, macOS).</li>
 *   <li>Between taking the semaphore and writing its record (and between clearing its record
 *       and posting), a holder is not yet (no longer) recorded. Killed in those few
 *       instructions, it leaves a mutex that no one can prove abandoned: {@code lock} times out
 *       until the names are removed and the mutex made anew.</li>
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
    private final PosixSync posix;
    private final WindowsSync windows;
    private volatile Thread owner;

    private NamedMutex(ObjectName name, PosixSync posix, WindowsSync windows, boolean owned) {
        this.name = name;
        this.posix = posix;
        this.windows = windows;
        this.owner = owned ? Thread.currentThread() : null;
    }

    /**
     * Creates a new mutex, held by the calling thread if {@code initiallyOwned}.
     *
     * @throws IpcException with {@link IpcException.Reason#ALREADY_EXISTS} if the name is taken
     */
    public static NamedMutex create(String name, boolean initiallyOwned) {
        ObjectName objectName = ObjectName.of(name);
        if (OsFamily.current().isPosix()) {
            PosixSync posix = PosixSync.create(objectName, PosixSync.MUTEX, initiallyOwned ? 0 : 1,
                    control -> control.setLongRelease(PosixSync.HOLDER_OFFSET, initiallyOwned ? Holder.SELF : 0));
            return new NamedMutex(objectName, posix, null, initiallyOwned);
        }
        if (initiallyOwned) {
            requirePlatformThread(objectName);
        }
        return new NamedMutex(objectName, null, WindowsSync.createMutex(objectName, initiallyOwned), initiallyOwned);
    }

    /**
     * Opens an existing mutex; it is not locked by this call.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} if there is none
     */
    public static NamedMutex open(String name) {
        ObjectName objectName = ObjectName.of(name);
        if (OsFamily.current().isPosix()) {
            return new NamedMutex(objectName, PosixSync.open(objectName, PosixSync.MUTEX), null, false);
        }
        return new NamedMutex(objectName, null, WindowsSync.openMutex(objectName), false);
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
        if (posix == null) {
            requirePlatformThread(name);
        }
        Deadline deadline = Deadline.after(timeout);
        LockResult result = posix == null ? lockWindows(deadline) : lockPosix(deadline);
        if (result.acquired()) {
            owner = Thread.currentThread();
        }
        return result;
    }

    /**
     * Windows only: a Win32 mutex is owned by the OS thread that waited for it, and a virtual
     * thread may run on another OS thread (carrier) by the time it unlocks. ReleaseMutex would
     * then fail, and the mutex would stay owned by a carrier that any other virtual thread
     * running there gets into at once. So virtual threads are refused. POSIX has no such limit: a
     * semaphore belongs to no thread, and the holder is recorded per process.
     */
    private static void requirePlatformThread(ObjectName name) {
        if (isVirtual(Thread.currentThread())) {
            throw new IllegalStateException("mutex '" + name + "': a Windows mutex belongs to an OS thread,"
                    + " and a virtual thread can change OS thread between lock and unlock; use a platform thread");
        }
    }

    /** {@code Thread.isVirtual()} where it exists (Java 21 and later); this project compiles for Java 17. */
    private static final Method IS_VIRTUAL = isVirtualMethod();

    private static Method isVirtualMethod() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            return null; // before Java 21 every thread is a platform thread
        }
    }

    static boolean isVirtual(Thread thread) {
        try {
            return IS_VIRTUAL != null && (Boolean) IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call Thread.isVirtual", e);
        }
    }

    private LockResult lockWindows(Deadline deadline) throws InterruptedException {
        while (true) {
            int result = windows.waitFor(deadline.sliceMillis());
            if (result == WinBase.WAIT_OBJECT_0) {
                return LockResult.ACQUIRED;
            }
            if (result == WinBase.WAIT_ABANDONED) {
                return LockResult.ABANDONED;
            }
            if (deadline.passed()) {
                return LockResult.TIMEOUT;
            }
            Deadline.checkInterrupt();
        }
    }

    private LockResult lockPosix(Deadline deadline) throws InterruptedException {
        SharedMemory control = posix.control;
        while (true) {
            if (posix.semaphore.acquire(deadline.sliceEnd())) {
                control.setLongRelease(PosixSync.HOLDER_OFFSET, Holder.SELF);
                return LockResult.ACQUIRED;
            }
            long holder = control.getLongAcquire(PosixSync.HOLDER_OFFSET);
            if (holder != 0 && !Holder.isAlive(holder)
                    && control.compareAndSetLong(PosixSync.HOLDER_OFFSET, holder, Holder.SELF)) {
                return LockResult.ABANDONED; // the semaphore stays taken, now by us
            }
            if (deadline.passed()) {
                return LockResult.TIMEOUT;
            }
            Deadline.checkInterrupt();
        }
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
        if (posix == null) {
            windows.releaseMutex();
            return;
        }
        if (!posix.control.compareAndSetLong(PosixSync.HOLDER_OFFSET, Holder.SELF, 0)) {
            // Someone took the mutex over as abandoned although this process lives: posting
            // now would let a third party in beside it.
            throw new IllegalStateException("mutex '" + name + "' was taken over by another process");
        }
        posix.semaphore.post();
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
        ObjectName objectName = ObjectName.of(name);
        return OsFamily.current().isPosix() && PosixSync.unlink(objectName);
    }

    /** Removes this mutex's names now; see {@link #unlink(String)}. Cancels {@link #unlinkOnExit()}. */
    public boolean unlink() {
        return posix != null && posix.unlink();
    }

    /**
     * Removes the names when the JVM exits, also on Ctrl-C (SIGINT) or SIGTERM, unless
     * {@link #unlink()} removed them first. Nothing runs on SIGKILL; on POSIX the names are then
     * left behind for {@link #unlink(String)}. Does nothing on Windows.
     *
     * @return this
     */
    public NamedMutex unlinkOnExit() {
        if (posix != null) {
            posix.unlinkOnExit();
        }
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
            if (posix != null) {
                posix.close();
            } else {
                windows.close();
            }
        }
    }

    @Override
    public String toString() {
        return "NamedMutex[" + name.nativeName() + "]";
    }

    /**
     * Who holds a POSIX mutex, in one word so that a takeover is one compare-and-set: the pid
     * in the high 32 bits, the low 32 bits of a start stamp in the low ones (0 where the OS does
     * not say). A pid fits: Linux pids stay below 2^22, macOS's below 10^5.
     *
     * <p>The stamp must come out the same in every process that computes it. On Linux it is
     * field 22 of {@code /proc/<pid>/stat} ({@code starttime}, clock ticks since boot), which
     * the kernel fixes at fork. Not {@link ProcessHandle.Info#startInstant()}: the JDK derives
     * that from the boot time in {@code /proc/stat}, which each JVM reads once and which moves
     * when the clock is stepped, so two JVMs could disagree about one live process and take it
     * for dead. On macOS the JDK takes the start time from the kernel's own record of the
     * process ({@code sysctl}), so {@code startInstant} (in milliseconds) is used there.
     */
    static final class Holder {
        static final long SELF = of(ProcessHandle.current());

        private Holder() {
        }

        static long of(ProcessHandle process) {
            return process.pid() << 32 | startStamp(process);
        }

        private static long startStamp(ProcessHandle process) {
            if (OsFamily.current() == OsFamily.LINUX) {
                try {
                    return linuxStat(process.pid()).map(stat -> stat.startTicks & 0xFFFF_FFFFL).orElse(0L);
                } catch (NoSuchFileException e) {
                    return 0;
                }
            }
            return process.info().startInstant().map(start -> start.toEpochMilli() & 0xFFFF_FFFFL).orElse(0L);
        }

        /** False if the process is gone, or if its pid now belongs to a process started later. */
        static boolean isAlive(long holder) {
            long pid = holder >>> 32;
            long recorded = holder & 0xFFFF_FFFFL;
            if (OsFamily.current() == OsFamily.LINUX) {
                Optional<LinuxStat> stat;
                try {
                    stat = linuxStat(pid);
                } catch (NoSuchFileException e) {
                    return false; // no such process
                }
                if (stat.isEmpty()) {
                    // Unreadable: alive as far as the JDK knows; a lock times out rather than
                    // taking over from a holder that may live.
                    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                }
                long current = stat.get().startTicks & 0xFFFF_FFFFL;
                return !stat.get().ended() && (recorded == 0 || recorded == current);
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return false;
            }
            long current = startStamp(process.get());
            return recorded == 0 || current == 0 || recorded == current;
        }

        /** The two fields of {@code /proc/<pid>/stat} a holder check needs. */
        static final class LinuxStat {
            final char state;
            final long startTicks;

            LinuxStat(char state, long startTicks) {
                this.state = state;
                this.startTicks = startTicks;
            }

            /** A zombie (ended, not yet reaped by its parent) or dead process holds nothing. */
            boolean ended() {
                return state == 'Z' || state == 'X';
            }

            /**
             * Parses a {@code stat} line: {@code pid (comm) state ppid ...}, where field 3 is the
             * state and field 22 {@code starttime}. comm may hold spaces and parentheses, so the
             * fields are counted from the last {@code ')'}.
             */
            static Optional<LinuxStat> parse(String line) {
                int end = line.lastIndexOf(')');
                if (end < 0) {
                    return Optional.empty();
                }
                String[] fields = line.substring(end + 1).trim().split(" +");
                if (fields.length < 20 || fields[0].length() != 1) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(new LinuxStat(fields[0].charAt(0), Long.parseUnsignedLong(fields[22 - 3])));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }

        /**
         * {@code /proc/<pid>/stat}, parsed; empty if it cannot be read or parsed.
         *
         * @throws NoSuchFileException if there is no such process
         */
        private static Optional<LinuxStat> linuxStat(long pid) throws NoSuchFileException {
            try {
                return LinuxStat.parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
