package dev.shmipc.common;

/**
 * A named event or mutex on Windows: the owner of one kernel handle, which {@link WindowsEvent}
 * and {@link WindowsMutex} wait on. The calls are {@link Win32Calls}; errors are read with
 * {@link Win32Calls#lastError()} right after the failed call. The calls are taken when an
 * object is made, not in a static field, so that these classes load on any OS without loading
 * {@code kernel32} ({@link WindowsMutex#isVirtual} is asked everywhere). A Windows object has
 * no name apart from its handles and dies with the last one, so there is nothing to unlink.
 */
abstract class WindowsSync implements Sync {

    /** The Windows back end: one Win32 call to make or open each object. */
    static final Sync.Backend BACKEND = new Sync.Backend() {
        /** {@code CreateEvent(NULL, FALSE, initiallySet, name)}: auto-reset; fails if the name exists. */
        @Override
        public Sync.Event createEvent(ObjectName name, boolean initiallySet) {
            Win32Calls c = Win32.calls();
            long handle = c.createEvent(false, initiallySet, name.nativeName());
            return new WindowsEvent(c, name, created(c, "CreateEvent", name, handle));
        }

        /** {@code OpenEvent(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, name)}: set and wait. */
        @Override
        public Sync.Event openEvent(ObjectName name) {
            Win32Calls c = Win32.calls();
            long handle = c.openEvent(Win32.EVENT_MODIFY_STATE | Win32.SYNCHRONIZE, name.nativeName());
            return new WindowsEvent(c, name, opened(c, "OpenEvent", name, handle));
        }

        /** {@code CreateMutex(NULL, initiallyOwned, name)}; fails if the name exists. */
        @Override
        public Sync.Mutex createMutex(ObjectName name, boolean initiallyOwned) {
            if (initiallyOwned) {
                WindowsMutex.requirePlatformThread(name);
            }
            Win32Calls c = Win32.calls();
            long handle = c.createMutex(initiallyOwned, name.nativeName());
            return new WindowsMutex(c, name, created(c, "CreateMutex", name, handle));
        }

        /** {@code OpenMutex(MUTEX_MODIFY_STATE | SYNCHRONIZE, FALSE, name)}: lock and unlock. */
        @Override
        public Sync.Mutex openMutex(ObjectName name) {
            Win32Calls c = Win32.calls();
            long handle = c.openMutex(Win32.MUTEX_MODIFY_STATE | Win32.SYNCHRONIZE, name.nativeName());
            return new WindowsMutex(c, name, opened(c, "OpenMutex", name, handle));
        }

        @Override
        public boolean unlink(ObjectName name) {
            return false;
        }
    };

    final Win32Calls c;
    final ObjectName name;
    /** The handle; 0 once closed. */
    private long handle;

    WindowsSync(Win32Calls c, ObjectName name, long handle) {
        this.c = c;
        this.name = name;
        this.handle = handle;
    }

    /** The handle a {@code Create*} call returned, checked; reads the last error at once. */
    private static long created(Win32Calls c, String call, ObjectName name, long handle) {
        int lastError = c.lastError();
        if (handle == 0) {
            throw WindowsBackend.createError(call, name, lastError);
        }
        if (lastError == Win32.ERROR_ALREADY_EXISTS) {
            // Create* opened the existing object (its parameters ignored): refuse, like O_EXCL.
            c.closeHandle(handle);
            throw WindowsBackend.error(call, name, Win32.ERROR_ALREADY_EXISTS);
        }
        return handle;
    }

    /** The handle an {@code Open*} call returned, checked; reads the last error at once. */
    private static long opened(Win32Calls c, String call, ObjectName name, long handle) {
        if (handle == 0) {
            throw WindowsBackend.openError(call, name, c.lastError());
        }
        return handle;
    }

    /**
     * {@code WaitForSingleObject} in slices of at most {@value Deadline#SLICE_MILLIS} ms, checking
     * for an interrupt between them, until the object is signalled or the deadline passes:
     * {@code WAIT_OBJECT_0}, {@code WAIT_ABANDONED} (mutexes only) or {@code WAIT_TIMEOUT}.
     * {@code WAIT_FAILED} is thrown.
     */
    int waitFor(Deadline deadline) throws InterruptedException {
        while (true) {
            int result = c.waitForSingleObject(handle(), deadline.sliceMillis());
            if (result == Win32.WAIT_FAILED) {
                throw WindowsBackend.error("WaitForSingleObject", name, c.lastError());
            }
            if (result != Win32.WAIT_TIMEOUT || deadline.passed()) {
                return result;
            }
            Deadline.checkInterrupt();
        }
    }

    long handle() {
        long current = handle;
        if (current == 0) {
            throw new IllegalStateException("'" + name + "' is closed");
        }
        return current;
    }

    /** Nothing to remove: the object dies with its last handle. */
    @Override
    public boolean unlink() {
        return false;
    }

    /** Nothing to do: see {@link #unlink()}. */
    @Override
    public void unlinkOnExit() {
    }

    /** {@code CloseHandle}; the object dies with its last handle. Idempotent. */
    @Override
    public synchronized void close() {
        if (handle != 0) {
            c.closeHandle(handle);
            handle = 0;
        }
    }
}
