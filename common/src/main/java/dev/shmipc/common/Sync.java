package dev.shmipc.common;

import java.time.Duration;

/**
 * One open named event or mutex, as an OS back end hands it over: what {@link NamedEvent} and
 * {@link NamedMutex} delegate to, as {@link SharedMemory} delegates to a {@link Mapping}. The
 * public classes keep the rules every OS shares (names, timeouts, which thread holds a mutex);
 * a back end keeps what one OS does.
 */
interface Sync extends AutoCloseable {
    /** Removes this object's names now, and cancels {@link #unlinkOnExit()}; false if there were none. */
    boolean unlink();

    /** Removes the names when the JVM exits; at once if it is exiting already. */
    void unlinkOnExit();

    /** Lets go of the object; the names stay. Idempotent. */
    @Override
    void close();

    /** An auto-reset event; see {@link NamedEvent} for the rules. */
    interface Event extends Sync {
        void set();

        /**
         * True if the event was set within {@code timeout} (and is now reset). The timeout is
         * valid (not negative); a back end computes a {@link Deadline} only when it has to wait.
         */
        boolean await(Duration timeout) throws InterruptedException;
    }

    /**
     * A mutex, locked and unlocked by one thread; {@link NamedMutex} checks which thread, so a
     * back end need not.
     */
    interface Mutex extends Sync {
        /** As {@link NamedMutex#lock}, for a valid (not negative) {@code timeout}. */
        NamedMutex.LockResult lock(Duration timeout) throws InterruptedException;

        void unlock();
    }

    /** The operations every OS provides; each fails with an {@link IpcException}. */
    interface Backend {
        /** A new event; {@link IpcException.Reason#ALREADY_EXISTS} if the name is taken. */
        Event createEvent(ObjectName name, boolean initiallySet);

        /** An existing event; {@link IpcException.Reason#NOT_FOUND} if there is none. */
        Event openEvent(ObjectName name);

        /** A new mutex, held by the calling thread if {@code initiallyOwned}. */
        Mutex createMutex(ObjectName name, boolean initiallyOwned);

        /** An existing mutex, not locked by this call. */
        Mutex openMutex(ObjectName name);

        /** Removes the names of an event or mutex; false if there were none. */
        boolean unlink(ObjectName name);

        static Backend current() {
            switch (OsFamily.current()) {
                case LINUX:
                case MACOS:
                    return PosixSync.BACKEND;
                case WINDOWS:
                    return WindowsSync.BACKEND;
                default:
                    throw OsFamily.unsupported();
            }
        }
    }
}
