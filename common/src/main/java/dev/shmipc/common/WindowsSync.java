package dev.shmipc.common;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;

/**
 * A named event or mutex on Windows: the owner of one kernel handle. All calls come from
 * jna-platform's {@link Kernel32}; errors are read with {@link Native#getLastError()} right
 * after the failed call.
 */
final class WindowsSync implements AutoCloseable {
    private static final Kernel32 K32 = Kernel32.INSTANCE;
    /** {@code MUTEX_MODIFY_STATE} from {@code <winnt.h>}, which jna-platform does not declare. */
    private static final int MUTEX_MODIFY_STATE = 0x0001;

    final ObjectName name;
    private WinNT.HANDLE handle;

    private WindowsSync(ObjectName name, WinNT.HANDLE handle) {
        this.name = name;
        this.handle = handle;
    }

    /** {@code CreateEvent(NULL, FALSE, initiallySet, name)}: auto-reset; fails if the name exists. */
    static WindowsSync createEvent(ObjectName name, boolean initiallySet) {
        requireWindows();
        WinNT.HANDLE handle = K32.CreateEvent(null, false, initiallySet, name.nativeName());
        return created("CreateEvent", name, handle, Native.getLastError());
    }

    /** {@code OpenEvent(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, name)}: set and wait. */
    static WindowsSync openEvent(ObjectName name) {
        requireWindows();
        WinNT.HANDLE handle = K32.OpenEvent(WinNT.EVENT_MODIFY_STATE | WinNT.SYNCHRONIZE, false, name.nativeName());
        return opened("OpenEvent", name, handle, Native.getLastError());
    }

    /** {@code CreateMutex(NULL, initiallyOwned, name)}; fails if the name exists. */
    static WindowsSync createMutex(ObjectName name, boolean initiallyOwned) {
        requireWindows();
        WinNT.HANDLE handle = K32.CreateMutex(null, initiallyOwned, name.nativeName());
        return created("CreateMutex", name, handle, Native.getLastError());
    }

    /** {@code OpenMutex(MUTEX_MODIFY_STATE | SYNCHRONIZE, FALSE, name)}: lock and unlock. */
    static WindowsSync openMutex(ObjectName name) {
        requireWindows();
        WinNT.HANDLE handle = K32.OpenMutex(MUTEX_MODIFY_STATE | WinNT.SYNCHRONIZE, false, name.nativeName());
        return opened("OpenMutex", name, handle, Native.getLastError());
    }

    private static void requireWindows() {
        if (OsFamily.current() != OsFamily.WINDOWS) {
            throw OsFamily.unsupported();
        }
    }

    private static WindowsSync created(String call, ObjectName name, WinNT.HANDLE handle, int lastError) {
        if (handle == null) {
            throw WindowsBackend.createError(call, name, lastError);
        }
        if (lastError == WinError.ERROR_ALREADY_EXISTS) {
            // Create* opened the existing object (its parameters ignored): refuse, like O_EXCL.
            K32.CloseHandle(handle);
            throw WindowsBackend.error(call, name, WinError.ERROR_ALREADY_EXISTS);
        }
        return new WindowsSync(name, handle);
    }

    private static WindowsSync opened(String call, ObjectName name, WinNT.HANDLE handle, int lastError) {
        if (handle == null) {
            throw WindowsBackend.openError(call, name, lastError);
        }
        return new WindowsSync(name, handle);
    }

    /**
     * {@code WaitForSingleObject(handle, millis)}: {@code WAIT_OBJECT_0}, {@code WAIT_ABANDONED}
     * (mutexes only) or {@code WAIT_TIMEOUT}; {@code WAIT_FAILED} is thrown.
     */
    int waitFor(int millis) {
        int result = K32.WaitForSingleObject(handle(), millis);
        if (result == WinBase.WAIT_FAILED) {
            throw WindowsBackend.error("WaitForSingleObject", name, Native.getLastError());
        }
        return result;
    }

    /** {@code SetEvent}. */
    void setEvent() {
        if (!K32.SetEvent(handle())) {
            throw WindowsBackend.error("SetEvent", name, Native.getLastError());
        }
    }

    /** {@code ReleaseMutex}; fails with {@code ERROR_NOT_OWNER} unless this thread owns it. */
    void releaseMutex() {
        if (!K32.ReleaseMutex(handle())) {
            throw WindowsBackend.error("ReleaseMutex", name, Native.getLastError());
        }
    }

    private WinNT.HANDLE handle() {
        WinNT.HANDLE current = handle;
        if (current == null) {
            throw new IllegalStateException("'" + name + "' is closed");
        }
        return current;
    }

    /** {@code CloseHandle}; the object dies with its last handle. Idempotent. */
    @Override
    public synchronized void close() {
        if (handle != null) {
            K32.CloseHandle(handle);
            handle = null;
        }
    }
}
