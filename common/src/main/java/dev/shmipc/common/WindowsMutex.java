package dev.shmipc.common;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * A {@link NamedMutex} on Windows: a Win32 mutex, which the OS gives to one OS thread and reports
 * as {@code WAIT_ABANDONED} when its holder's thread ends while holding it.
 */
final class WindowsMutex extends WindowsSync implements Sync.Mutex {
    /** {@code Thread.isVirtual()} where it exists (Java 21 and later); this project compiles for Java 17. */
    private static final Method IS_VIRTUAL = isVirtualMethod();

    WindowsMutex(Win32Calls c, ObjectName name, long handle) {
        super(c, name, handle);
    }

    /** {@code WaitForSingleObject}; refuses a virtual thread (see {@link #requirePlatformThread}). */
    @Override
    public NamedMutex.LockResult lock(Duration timeout) throws InterruptedException {
        requirePlatformThread(name);
        switch (waitFor(Deadline.after(timeout))) {
            case Win32.WAIT_OBJECT_0:
                return NamedMutex.LockResult.ACQUIRED;
            case Win32.WAIT_ABANDONED:
                return NamedMutex.LockResult.ABANDONED;
            default:
                return NamedMutex.LockResult.TIMEOUT;
        }
    }

    /** {@code ReleaseMutex}; fails with {@code ERROR_NOT_OWNER} unless this thread owns it. */
    @Override
    public void unlock() {
        if (!c.releaseMutex(handle())) {
            throw WindowsBackend.error("ReleaseMutex", name, c.lastError());
        }
    }

    /**
     * A Win32 mutex is owned by the OS thread that waited for it, and a virtual thread may run on
     * another OS thread (carrier) by the time it unlocks. ReleaseMutex would then fail, and the
     * mutex would stay owned by a carrier that any other virtual thread running there gets into
     * at once. So virtual threads are refused. POSIX has no such limit: a semaphore belongs to no
     * thread, and the holder is recorded per process.
     */
    static void requirePlatformThread(ObjectName name) {
        if (isVirtual(Thread.currentThread())) {
            throw new IllegalStateException("mutex '" + name + "': a Windows mutex belongs to an OS thread,"
                    + " and a virtual thread can change OS thread between lock and unlock; use a platform thread");
        }
    }

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
}
