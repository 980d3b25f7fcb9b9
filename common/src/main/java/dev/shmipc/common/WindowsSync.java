package dev.shmipc.common;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;

/**
 * A named event or mutex on Windows: the owner of one kernel handle, which {@link WindowsEvent}
 * and {@link WindowsMutex} wait on. All calls come from jna-platform's {@link Kernel32}; errors
 * are read with {@link Native#getLastError()} right after the failed call. {@code Kernel32.INSTANCE}
 * is named at each call rather than kept in a field, so that these classes load on any OS
 * without loading {@code kernel32} ({@link WindowsMutex#isVirtual} is asked everywhere). A
 * Windows object has no name apart from its handles and dies with the last one, so there is
 * nothing to unlink.
 */
abstract class WindowsSync implements Sync {
    /** {@code MUTEX_MODIFY_STATE} from {@code <winnt.h>}, which jna-platform does not declare. */
    private static final int MUTEX_MODIFY_STATE = 0x0001;

    /** The Windows back end: one Win32 call to make or open each object. */
    static final Sync.Backend BACKEND = new Sync.Backend() {
        /** {@code CreateEvent(NULL, FALSE, initiallySet, name)}: auto-reset; fails if the name exists. */
        @Override
        public Sync.Event createEvent(ObjectName name, boolean initiallySet) {
            WinNT.HANDLE handle = Kernel32.INSTANCE.CreateEvent(null, false, initiallySet, name.nativeName());
            return new WindowsEvent(name, created("CreateEvent", name, handle, Native.getLastError()));
        }

        /** {@code OpenEvent(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, name)}: set and wait. */
        @Override
        public Sync.Event openEvent(ObjectName name) {
            int access = WinNT.EVENT_MODIFY_STATE | WinNT.SYNCHRONIZE;
            WinNT.HANDLE handle = Kernel32.INSTANCE.OpenEvent(access, false, name.nativeName());
            return new WindowsEvent(name, opened("OpenEvent", name, handle, Native.getLastError()));
        }

        /** {@code CreateMutex(NULL, initiallyOwned, name)}; fails if the name exists. */
        @Override
        public Sync.Mutex createMutex(ObjectName name, boolean initiallyOwned) {
            if (initiallyOwned) {
                WindowsMutex.requirePlatformThread(name);
            }
            WinNT.HANDLE handle = Kernel32.INSTANCE.CreateMutex(null, initiallyOwned, name.nativeName());
            return new WindowsMutex(name, created("CreateMutex", name, handle, Native.getLastError()));
        }

        /** {@code OpenMutex(MUTEX_MODIFY_STATE | SYNCHRONIZE, FALSE, name)}: lock and unlock. */
        @Override
        public Sync.Mutex openMutex(ObjectName name) {
            int access = MUTEX_MODIFY_STATE | WinNT.SYNCHRONIZE;
            WinNT.HANDLE handle = Kernel32.INSTANCE.OpenMutex(access, false, name.nativeName());
            return new WindowsMutex(name, opened("OpenMutex", name, handle, Native.getLastError()));
        }

        @Override
        public boolean unlink(ObjectName name) {
            return false;
        }
    };

    final ObjectName name;
    private WinNT.HANDLE handle;

    WindowsSync(ObjectName name, WinNT.HANDLE handle) {
        this.name = name;
        this.handle = handle;
    }

    private static WinNT.HANDLE created(String call, ObjectName name, WinNT.HANDLE handle, int lastError) {
        if (handle == null) {
            throw WindowsBackend.createError(call, name, lastError);
        }
        if (lastError == WinError.ERROR_ALREADY_EXISTS) {
            // Create* opened the existing object (its parameters ignored): refuse, like O_EXCL.
            Kernel32.INSTANCE.CloseHandle(handle);
            throw WindowsBackend.error(call, name, WinError.ERROR_ALREADY_EXISTS);
        }
        return handle;
    }

    private static WinNT.HANDLE opened(String call, ObjectName name, WinNT.HANDLE handle, int lastError) {
        if (handle == null) {
            throw WindowsBackend.openError(call, name, lastError);
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
            int result = Kernel32.INSTANCE.WaitForSingleObject(handle(), deadline.sliceMillis());
            if (result == WinBase.WAIT_FAILED) {
                throw WindowsBackend.error("WaitForSingleObject", name, Native.getLastError());
            }
            if (result != WinError.WAIT_TIMEOUT || deadline.passed()) {
                return result;
            }
            Deadline.checkInterrupt();
        }
    }

    WinNT.HANDLE handle() {
        WinNT.HANDLE current = handle;
        if (current == null) {
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
        if (handle != null) {
            Kernel32.INSTANCE.CloseHandle(handle);
            handle = null;
        }
    }
}
