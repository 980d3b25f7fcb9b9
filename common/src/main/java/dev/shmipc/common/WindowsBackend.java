package dev.shmipc.common;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;

/**
 * Named shared memory on Windows: a file mapping backed by the paging file.
 *
 * <p>All calls come from jna-platform's {@link Kernel32}, whose functions return their failure
 * (NULL, FALSE) and leave the code to {@link Native#getLastError()}, read right after the call.
 * The one throwing helper used, {@code Kernel32Util.formatMessage}, is caught in {@link #error}.
 */
final class WindowsBackend implements Mapping.Backend {
    private static final Kernel32 K32 = Kernel32.INSTANCE;
    private static final int VIEW_ACCESS = WinBase.FILE_MAP_READ | WinBase.FILE_MAP_WRITE;

    @Override
    public Mapping create(ObjectName name, int size, int mode, boolean openIfExists) {
        // mode: a POSIX idea; the mapping gets the default security of the creating process.
        WinNT.HANDLE handle = K32.CreateFileMapping(WinBase.INVALID_HANDLE_VALUE, null,
                WinNT.PAGE_READWRITE, 0, size, name.nativeName());
        if (handle == null) {
            throw createError("CreateFileMapping", name, Native.getLastError());
        }
        // On success GetLastError tells whether the name already existed (183).
        boolean existed = Native.getLastError() == WinError.ERROR_ALREADY_EXISTS;
        if (existed && !openIfExists) {
            K32.CloseHandle(handle);
            throw error("CreateFileMapping", name, WinError.ERROR_ALREADY_EXISTS);
        }
        if (existed) {
            // An existing object keeps its own size; refuse to map past its end.
            return mapWhole(name, handle, size, true, size);
        }
        return map(name, handle, size, false);
    }

    @Override
    public Mapping open(ObjectName name, int minimumSize) {
        // Map rights only: FILE_MAP_ALL_ACCESS also asks for DELETE and WRITE_DAC, which a Global\
        // object made by a service does not grant.
        WinNT.HANDLE handle = K32.OpenFileMapping(VIEW_ACCESS, false, name.nativeName());
        if (handle == null) {
            throw openError("OpenFileMapping", name, Native.getLastError());
        }
        return mapWhole(name, handle, minimumSize, true, 0);
    }

    /**
     * Maps the whole object (size 0 in MapViewOfFile), learns its size, checks it. The size is
     * known only in whole pages, so an existing object of 100 bytes satisfies a request for 4096:
     * finer than a page, Windows cannot tell (POSIX can, and refuses).
     */
    private static Mapping mapWhole(ObjectName name, WinNT.HANDLE handle, int minimumSize, boolean existed,
            int useSize) {
        Pointer view = K32.MapViewOfFile(handle, VIEW_ACCESS, 0, 0, 0);
        if (view == null) {
            int code = Native.getLastError();
            K32.CloseHandle(handle);
            throw error("MapViewOfFile", name, code);
        }
        // The view's region size: the object's size rounded up to whole pages. Windows keeps no
        // finer size that a documented call returns.
        WinNT.MEMORY_BASIC_INFORMATION info = new WinNT.MEMORY_BASIC_INFORMATION();
        BaseTSD.SIZE_T got = K32.VirtualQueryEx(K32.GetCurrentProcess(), view, info,
                new BaseTSD.SIZE_T(info.size()));
        if (got.longValue() == 0) {
            int code = Native.getLastError();
            K32.UnmapViewOfFile(view);
            K32.CloseHandle(handle);
            throw error("VirtualQueryEx", name, code);
        }
        long size = info.regionSize.longValue();
        if (size < minimumSize) {
            K32.UnmapViewOfFile(view);
            K32.CloseHandle(handle);
            throw Mapping.tooSmall(name, size, minimumSize);
        }
        if (size > Integer.MAX_VALUE) {
            K32.UnmapViewOfFile(view);
            K32.CloseHandle(handle);
            throw new IpcException("open", name.name(), 0, "the object is " + size
                    + " bytes; a ByteBuffer can address at most 2 GiB - 1", IpcException.Reason.OTHER);
        }
        return mapping(view, handle, useSize > 0 ? useSize : size, existed);
    }

    private static Mapping map(ObjectName name, WinNT.HANDLE handle, int size, boolean existed) {
        Pointer view = K32.MapViewOfFile(handle, VIEW_ACCESS, 0, 0, size);
        if (view == null) {
            int code = Native.getLastError();
            K32.CloseHandle(handle);
            throw error("MapViewOfFile", name, code);
        }
        return mapping(view, handle, size, existed);
    }

    private static Mapping mapping(Pointer view, WinNT.HANDLE handle, long size, boolean existed) {
        return new Mapping(view, size, existed) {
            @Override
            void release() {
                K32.UnmapViewOfFile(view);
                K32.CloseHandle(handle);
            }
        };
    }

    /** Nothing to do: a Windows mapping has no name apart from its handles; it dies with the last one. */
    @Override
    public boolean unlink(ObjectName name) {
        return false;
    }

    /*
     * Mappings, events and mutexes share one namespace, and a Create* or Open* call on a name
     * that another kind of object holds fails with ERROR_INVALID_HANDLE (6), "The handle is
     * invalid". Reported as what it means: for a create, the name is taken (as EEXIST on POSIX).
     */

    /** The failure of a {@code Create*} call: {@link #error}, with the name taken by another kind as 183. */
    static IpcException createError(String call, ObjectName name, int code) {
        return error(call, name, code == WinError.ERROR_INVALID_HANDLE ? WinError.ERROR_ALREADY_EXISTS : code);
    }

    /** The failure of an {@code Open*} call: {@link #error}, with the name held by another kind said so. */
    static IpcException openError(String call, ObjectName name, int code) {
        if (code == WinError.ERROR_INVALID_HANDLE) {
            return new IpcException(call, name.name(), code, "the name belongs to another kind of object"
                    + " (a file mapping, event or mutex)", IpcException.Reason.OTHER);
        }
        return error(call, name, code);
    }

    static IpcException error(String call, ObjectName name, int code) {
        IpcException.Reason reason = switch (code) {
            case WinError.ERROR_FILE_NOT_FOUND -> IpcException.Reason.NOT_FOUND;
            case WinError.ERROR_ALREADY_EXISTS -> IpcException.Reason.ALREADY_EXISTS;
            case WinError.ERROR_ACCESS_DENIED -> IpcException.Reason.ACCESS_DENIED;
            case WinError.WAIT_TIMEOUT -> IpcException.Reason.TIMEOUT;
            default -> IpcException.Reason.OTHER;
        };
        return new IpcException(call, name.name(), code, message(code), reason);
    }

    /** The system's text for {@code code}; {@code Kernel32Util.formatMessage} throws for a code it has none for. */
    private static String message(int code) {
        try {
            return Kernel32Util.formatMessage(code).trim();
        } catch (LastErrorException e) {
            return "error " + code;
        }
    }
}
