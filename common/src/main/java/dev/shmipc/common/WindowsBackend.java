package dev.shmipc.common;

/**
 * Named shared memory on Windows: a file mapping backed by the paging file. The calls are
 * {@link Win32Calls}, which return their failure (0, false) and keep the code for
 * {@link Win32Calls#lastError()}, read right after the call.
 */
final class WindowsBackend implements Mapping.Backend {
    private static final int VIEW_ACCESS = Win32.FILE_MAP_READ | Win32.FILE_MAP_WRITE;

    /**
     * The calls of this JVM's binding, asked for at each use rather than when the back end is
     * made: a creation refused at once (the JVM is exiting) must not wait for the binding to load.
     */
    private static Win32Calls c() {
        return Win32.calls();
    }

    @Override
    public Mapping create(ObjectName name, int size, int mode, boolean openIfExists) {
        // mode: a POSIX idea; the mapping gets the default security of the creating process.
        long handle = c().createFileMapping(size, name.nativeName());
        if (handle == 0) {
            throw createError("CreateFileMapping", name, c().lastError());
        }
        // On success GetLastError tells whether the name already existed (183).
        boolean existed = c().lastError() == Win32.ERROR_ALREADY_EXISTS;
        if (existed && !openIfExists) {
            c().closeHandle(handle);
            throw error("CreateFileMapping", name, Win32.ERROR_ALREADY_EXISTS);
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
        long handle = c().openFileMapping(VIEW_ACCESS, name.nativeName());
        if (handle == 0) {
            throw openError("OpenFileMapping", name, c().lastError());
        }
        return mapWhole(name, handle, minimumSize, true, 0);
    }

    /**
     * Maps the whole object (size 0 in MapViewOfFile), learns its size, checks it. The size is
     * known only in whole pages, so an existing object of 100 bytes satisfies a request for 4096:
     * finer than a page, Windows cannot tell (POSIX can, and refuses).
     */
    private static Mapping mapWhole(ObjectName name, long handle, int minimumSize, boolean existed,
            int useSize) {
        long view = c().mapViewOfFile(handle, VIEW_ACCESS, 0);
        if (view == 0) {
            int code = c().lastError();
            c().closeHandle(handle);
            throw error("MapViewOfFile", name, code);
        }
        // The view's region size: the object's size rounded up to whole pages. Windows keeps no
        // finer size that a documented call returns.
        long size = c().regionSize(view);
        if (size == 0) {
            int code = c().lastError();
            c().unmapViewOfFile(view);
            c().closeHandle(handle);
            throw error("VirtualQueryEx", name, code);
        }
        if (size < minimumSize) {
            c().unmapViewOfFile(view);
            c().closeHandle(handle);
            throw Mapping.tooSmall(name, size, minimumSize);
        }
        if (size > Integer.MAX_VALUE) {
            c().unmapViewOfFile(view);
            c().closeHandle(handle);
            throw new IpcException("open", name.name(), 0, "the object is " + size
                    + " bytes; a ByteBuffer can address at most 2 GiB - 1", IpcException.Reason.OTHER);
        }
        return mapping(view, handle, useSize > 0 ? useSize : size, existed);
    }

    private static Mapping map(ObjectName name, long handle, int size, boolean existed) {
        long view = c().mapViewOfFile(handle, VIEW_ACCESS, size);
        if (view == 0) {
            int code = c().lastError();
            c().closeHandle(handle);
            throw error("MapViewOfFile", name, code);
        }
        return mapping(view, handle, size, existed);
    }

    private static Mapping mapping(long address, long handle, long size, boolean existed) {
        return new Mapping(c().view(address, size), size, existed) {
            @Override
            void release() {
                view.close();
                c().unmapViewOfFile(address);
                c().closeHandle(handle);
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
        return error(call, name, code == Win32.ERROR_INVALID_HANDLE ? Win32.ERROR_ALREADY_EXISTS : code);
    }

    /** The failure of an {@code Open*} call: {@link #error}, with the name held by another kind said so. */
    static IpcException openError(String call, ObjectName name, int code) {
        if (code == Win32.ERROR_INVALID_HANDLE) {
            return new IpcException(call, name.name(), code, "the name belongs to another kind of object"
                    + " (a file mapping, event or mutex)", IpcException.Reason.OTHER);
        }
        return error(call, name, code);
    }

    static IpcException error(String call, ObjectName name, int code) {
        IpcException.Reason reason = switch (code) {
            case Win32.ERROR_FILE_NOT_FOUND -> IpcException.Reason.NOT_FOUND;
            case Win32.ERROR_ALREADY_EXISTS -> IpcException.Reason.ALREADY_EXISTS;
            case Win32.ERROR_ACCESS_DENIED -> IpcException.Reason.ACCESS_DENIED;
            case Win32.WAIT_TIMEOUT -> IpcException.Reason.TIMEOUT;
            default -> IpcException.Reason.OTHER;
        };
        return new IpcException(call, name.name(), code, message(code), reason);
    }

    /** The system's text for {@code code}, or "error N" where it has none. */
    private static String message(int code) {
        String text = Win32.calls().message(code);
        return text != null ? text : "error " + code;
    }
}
