package dev.shmipc.common;

/**
 * The Win32 constants of this layer, by header. The calls themselves are {@link Win32Calls},
 * through the binding {@link NativeBinding} picks: {@link #calls()}.
 */
final class Win32 {
    private Win32() {
    }

    // <memoryapi.h>, <winnt.h>: view access and page protection.
    static final int FILE_MAP_WRITE = 0x0002;
    static final int FILE_MAP_READ = 0x0004;
    static final int PAGE_READWRITE = 0x04;
    /** {@code INVALID_HANDLE_VALUE}, {@code (HANDLE) -1}: a mapping backed by the paging file. */
    static final long INVALID_HANDLE_VALUE = -1;

    // <winnt.h>: access rights of events and mutexes.
    static final int MUTEX_MODIFY_STATE = 0x0001;
    static final int EVENT_MODIFY_STATE = 0x0002;
    static final int SYNCHRONIZE = 0x00100000;

    // <synchapi.h>, <winbase.h>: what WaitForSingleObject returns.
    static final int WAIT_OBJECT_0 = 0;
    static final int WAIT_ABANDONED = 0x80;
    static final int WAIT_TIMEOUT = 258;
    static final int WAIT_FAILED = 0xFFFFFFFF;

    // <winerror.h>
    static final int ERROR_FILE_NOT_FOUND = 2;
    static final int ERROR_ACCESS_DENIED = 5;
    static final int ERROR_INVALID_HANDLE = 6;
    static final int ERROR_ALREADY_EXISTS = 183;

    /** The Kernel32 calls of this JVM's binding (loaded at the first call, which may throw a LinkageError). */
    static Win32Calls calls() {
        return NativeBinding.win32();
    }
}
