package dev.shmipc.common;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One open POSIX named semaphore ({@code sem_open}), the owner of its {@code sem_t *}. The
 * building block of {@link NamedEvent} and {@link NamedMutex} on Linux and macOS; it knows
 * nothing about events or mutexes.
 *
 * <p>A timed wait is {@code sem_timedwait} on Linux. macOS has no {@code sem_timedwait}, so
 * there it polls {@code sem_trywait}: a few spins for a peer that answers at once, then sleeps
 * that grow from {@value #MIN_POLL_MICROS} µs to {@value #MAX_POLL_MICROS} µs.
 */
final class PosixSemaphore implements AutoCloseable {
    private static final long MIN_POLL_MICROS = 20;
    private static final long MAX_POLL_MICROS = 1000;
    private static final int SPINS = 100;
    private static final boolean HAS_TIMEDWAIT = OsFamily.current() == OsFamily.LINUX;

    private final PosixCalls c;
    private final ObjectName name;
    /** The {@code sem_t *}; 0 once closed. */
    private long sem;

    private PosixSemaphore(PosixCalls c, ObjectName name, long sem) {
        this.c = c;
        this.name = name;
        this.sem = sem;
    }

    /**
     * Creates a new semaphore with {@code value}; fails with
     * {@link IpcException.Reason#ALREADY_EXISTS} if the name exists.
     */
    static PosixSemaphore create(ObjectName name, int mode, int value) {
        PosixCalls c = Posix.calls();
        long sem = c.semCreate(name.nativeName(), Posix.O_CREAT | Posix.O_EXCL, mode, value);
        if (Posix.semFailed(sem)) {
            throw Posix.error("sem_open", name, c.errno());
        }
        return new PosixSemaphore(c, name, sem);
    }

    /** Opens an existing semaphore; fails with {@link IpcException.Reason#NOT_FOUND} if there is none. */
    static PosixSemaphore open(ObjectName name) {
        if (OsFamily.current() == OsFamily.LINUX) {
            requireSemaphoreFile(name);
        }
        PosixCalls c = Posix.calls();
        long sem = c.semOpen(name.nativeName(), 0);
        if (Posix.semFailed(sem)) {
            throw Posix.error("sem_open", name, c.errno());
        }
        return new PosixSemaphore(c, name, sem);
    }

    /**
     * Linux: glibc's {@code sem_open} maps {@code sizeof(sem_t)} bytes of
     * {@code /dev/shm/sem.<name>} without looking at the file, so a truncated or foreign file
     * would crash the JVM with SIGBUS at the first {@code sem_trywait}. Refuse anything but a
     * regular file of at least {@link Posix#GLIBC_SEM_T_SIZE} bytes, which is what glibc's
     * {@code sem_open(O_CREAT)} writes (a larger file cannot crash, and another C library may
     * write more). A file swapped in after this check is not seen.
     */
    private static void requireSemaphoreFile(ObjectName name) {
        String file = "sem." + name.nativeName().substring(1);
        String kind = Posix.wrongKind(file);
        long size = kind == null ? Posix.fileSize(file) : -1;
        if (kind == null && (size < 0 || size >= Posix.GLIBC_SEM_T_SIZE)) {
            return; // a semaphore, or nothing (sem_open then reports ENOENT)
        }
        String why = kind != null ? kind + ", not a semaphore" : size + " bytes, not a semaphore ("
                + Posix.GLIBC_SEM_T_SIZE + " bytes): it was truncated, or not made by sem_open";
        throw new IpcException("sem_open", name.name(), 0, "/dev/shm/" + file + " is " + why, IpcException.Reason.OTHER);
    }

    /** {@code sem_post}: adds one and wakes one waiter. */
    void post() {
        if (c.semPost(sem()) != 0) {
            int errno = c.errno();
            if (errno == Posix.EOVERFLOW) {
                return; // at SEM_VALUE_MAX: whoever sleeps is woken anyway, and no post is a signal
            }
            throw Posix.error("sem_post", name, errno);
        }
    }

    /** {@code sem_trywait}: takes one if the value is above zero, never waits. */
    boolean tryAcquire() {
        while (true) {
            if (c.semTrywait(sem()) == 0) {
                return true;
            }
            int errno = c.errno();
            if (errno == Posix.EAGAIN) {
                return false;
            }
            if (errno != Posix.EINTR) {
                throw Posix.error("sem_trywait", name, errno);
            }
        }
    }

    /**
     * Takes one, waiting at most until {@code deadline} ({@link System#nanoTime()} time); false
     * if the deadline passed first. A deadline already past still tries once. Not interruptible:
     * callers wait in short slices and check for interruption between them.
     */
    boolean acquire(long deadline) {
        // A posted semaphore is taken without a deadline to compute or a timespec to build.
        if (tryAcquire()) {
            return true;
        }
        return HAS_TIMEDWAIT ? timedWait(deadline) : pollingWait(deadline);
    }

    private boolean timedWait(long deadline) {
        long sem = sem();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return tryAcquire();
            }
            // sem_timedwait wants an absolute CLOCK_REALTIME time, which is what Instant.now() reads.
            // If the wall clock jumps, the loop measures again with nanoTime and waits for the rest.
            Instant end = Instant.now().plusNanos(left);
            if (c.semTimedwait(sem, end.getEpochSecond(), end.getNano()) == 0) {
                return true;
            }
            int errno = c.errno();
            if (errno != Posix.ETIMEDOUT && errno != Posix.EINTR) {
                throw Posix.error("sem_timedwait", name, errno);
            }
        }
    }

    private boolean pollingWait(long deadline) {
        long pause = MIN_POLL_MICROS;
        for (int attempt = 0; ; attempt++) {
            if (tryAcquire()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (attempt < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(left, TimeUnit.MICROSECONDS.toNanos(pause)));
                pause = Math.min(pause * 2, MAX_POLL_MICROS);
            }
        }
    }

    private long sem() {
        long current = sem;
        if (current == 0) {
            throw new IllegalStateException("semaphore '" + name + "' is closed");
        }
        return current;
    }

    /** {@code sem_close}: this process lets go of the semaphore; its name stays. Idempotent. */
    @Override
    public synchronized void close() {
        if (sem != 0) {
            c.semClose(sem);
            sem = 0;
        }
    }

    /** {@code sem_unlink}: removes the name; false if there was none. */
    static boolean unlink(ObjectName name) {
        PosixCalls c = Posix.calls();
        if (c.semUnlink(name.nativeName()) == 0) {
            return true;
        }
        int errno = c.errno();
        if (errno == Posix.ENOENT) {
            return false;
        }
        throw Posix.error("sem_unlink", name, errno);
    }
}
