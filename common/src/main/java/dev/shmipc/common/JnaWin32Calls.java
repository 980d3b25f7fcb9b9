package dev.shmipc.common;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;

/**
 * {@link Win32Calls} through JNA: every function from jna-platform's {@link Kernel32}, whose
 * functions return their failure (NULL, FALSE) and leave the code to
 * {@link Native#getLastError()}, which JNA saves right after every call. The one throwing
 * helper used, {@code Kernel32Util.formatMessage}, is caught in {@link #message}.
 */
final class JnaWin32Calls implements Win32Calls {
    private final Kernel32 k32 = Kernel32.INSTANCE;

    private static long value(WinNT.HANDLE handle) {
        return handle == null ? 0 : Pointer.nativeValue(handle.getPointer());
    }

    private static WinNT.HANDLE handle(long value) {
        return new WinNT.HANDLE(new Pointer(value));
    }

    @Override
    public long createFileMapping(long size, String name) {
        return value(k32.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE, null, WinNT.PAGE_READWRITE,
                (int) (size >>> 32), (int) size, name));
    }

    @Override
    public long openFileMapping(int access, String name) {
        return value(k32.OpenFileMapping(access, false, name));
    }

    @Override
    public long mapViewOfFile(long mapping, int access, long size) {
        return Pointer.nativeValue(k32.MapViewOfFile(handle(mapping), access, 0, 0, (int) size));
    }

    @Override
    public boolean unmapViewOfFile(long view) {
        return k32.UnmapViewOfFile(new Pointer(view));
    }

    @Override
    public long regionSize(long view) {
        WinNT.MEMORY_BASIC_INFORMATION info = new WinNT.MEMORY_BASIC_INFORMATION();
        BaseTSD.SIZE_T got = k32.VirtualQueryEx(k32.GetCurrentProcess(), new Pointer(view), info,
                new BaseTSD.SIZE_T(info.size()));
        return got.longValue() == 0 ? 0 : info.regionSize.longValue();
    }

    @Override
    public long createEvent(boolean manualReset, boolean initialState, String name) {
        return value(k32.CreateEvent(null, manualReset, initialState, name));
    }

    @Override
    public long openEvent(int access, String name) {
        return value(k32.OpenEvent(access, false, name));
    }

    @Override
    public boolean setEvent(long event) {
        return k32.SetEvent(handle(event));
    }

    @Override
    public long createMutex(boolean initialOwner, String name) {
        return value(k32.CreateMutex(null, initialOwner, name));
    }

    @Override
    public long openMutex(int access, String name) {
        return value(k32.OpenMutex(access, false, name));
    }

    @Override
    public boolean releaseMutex(long mutex) {
        return k32.ReleaseMutex(handle(mutex));
    }

    @Override
    public int waitForSingleObject(long handle, int millis) {
        return k32.WaitForSingleObject(handle(handle), millis);
    }

    @Override
    public boolean closeHandle(long handle) {
        return k32.CloseHandle(handle(handle));
    }

    @Override
    public int lastError() {
        return Native.getLastError();
    }

    @Override
    public String message(int code) {
        try {
            return Kernel32Util.formatMessage(code).trim();
        } catch (LastErrorException e) {
            return null; // the system has no text for this code
        }
    }

    @Override
    public NativeCalls.View view(long address, long size) {
        return JnaPosixCalls.jnaView(address, size);
    }
}
