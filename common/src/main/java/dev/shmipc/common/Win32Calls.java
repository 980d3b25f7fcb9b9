package dev.shmipc.common;

/**
 * The Kernel32 calls of this layer, one method per Win32 function (the wide-character ones),
 * returning what Win32 returns: a handle or address as a long, 0 ({@code NULL}) or false on
 * failure, with {@code GetLastError()} captured right after the call and read with
 * {@link #lastError()}.
 */
interface Win32Calls extends NativeCalls {
    /**
     * {@code CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, size >> 32, size, name)}:
     * a mapping backed by the paging file. On success the last error is 183
     * ({@code ERROR_ALREADY_EXISTS}) if the name existed and the call opened it.
     */
    long createFileMapping(long size, String name);

    /** {@code OpenFileMappingW(access, FALSE, name)}. */
    long openFileMapping(int access, String name);

    /** {@code MapViewOfFile(mapping, access, 0, 0, size)}; size 0 maps the whole object. */
    long mapViewOfFile(long mapping, int access, long size);

    boolean unmapViewOfFile(long view);

    /**
     * {@code VirtualQueryEx(GetCurrentProcess(), view, &info, sizeof info)}: {@code info.RegionSize},
     * the view's size in whole pages, or 0 on failure.
     */
    long regionSize(long view);

    /** {@code CreateEventW(NULL, manualReset, initialState, name)}. */
    long createEvent(boolean manualReset, boolean initialState, String name);

    /** {@code OpenEventW(access, FALSE, name)}. */
    long openEvent(int access, String name);

    boolean setEvent(long event);

    /** {@code CreateMutexW(NULL, initialOwner, name)}. */
    long createMutex(boolean initialOwner, String name);

    /** {@code OpenMutexW(access, FALSE, name)}. */
    long openMutex(int access, String name);

    boolean releaseMutex(long mutex);

    /** {@code WAIT_OBJECT_0}, {@code WAIT_ABANDONED}, {@code WAIT_TIMEOUT} or {@code WAIT_FAILED}. */
    int waitForSingleObject(long handle, int millis);

    boolean closeHandle(long handle);

    /** The {@code GetLastError()} the last call above left on this thread. */
    int lastError();

    /** {@code FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, ...)}: the system's text for a code, or null if it has none. */
    String message(int code);
}
