package dev.shmipc.common;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * {@link Win32Calls} through the Foreign Function and Memory API (Java 22 and later): one
 * downcall handle per Kernel32 function, the wide-character ({@code W}) ones, as jna-platform
 * binds them. Every call that can fail captures {@code GetLastError()}
 * ({@code Linker.Option.captureCallState("GetLastError")}) into a segment of the calling thread,
 * which {@link #lastError()} reads. A {@code HANDLE} or address is a Java {@code long}, a
 * {@code BOOL} an int that is not 0 for true, a {@code DWORD} an int.
 */
@SuppressWarnings("restricted") // this class is the binding: its restricted calls are the point
final class FfmWin32Calls implements Win32Calls {
        private static final SymbolLookup KERNEL32 = SymbolLookup.libraryLookup("kernel32.dll", Arena.global());

    private static final Ffm.CapturedState LAST_ERROR = new Ffm.CapturedState("GetLastError");

    // <winbase.h>: FormatMessage's flags.
    private static final int FORMAT_MESSAGE_IGNORE_INSERTS = 0x00000200;
    private static final int FORMAT_MESSAGE_FROM_SYSTEM = 0x00001000;
    /** The longest system message read, in UTF-16 units. */
    private static final int MESSAGE_CHARS = 1024;

    /** {@code MEMORY_BASIC_INFORMATION} of a 64-bit process: 48 bytes, {@code RegionSize} at 24. */
    private static final long MEMORY_BASIC_INFORMATION_SIZE = 48;
    private static final long REGION_SIZE_OFFSET = 24;

    // The first parameter of each handle that captures the error is LAST_ERROR.segment().
    private static final MethodHandle CREATE_FILE_MAPPING = function("CreateFileMappingW",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle OPEN_FILE_MAPPING = function("OpenFileMappingW",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_VIEW_OF_FILE = function("MapViewOfFile",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle UNMAP_VIEW_OF_FILE = function("UnmapViewOfFile",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle VIRTUAL_QUERY_EX = function("VirtualQueryEx",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    /** Cannot fail: it returns the pseudo-handle {@code (HANDLE) -1}. */
    private static final MethodHandle GET_CURRENT_PROCESS = Ffm.LINKER.downcallHandle(symbol("GetCurrentProcess"),
            FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle CREATE_EVENT = function("CreateEventW",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle OPEN_EVENT = function("OpenEventW",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SET_EVENT = function("SetEvent", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CREATE_MUTEX = function("CreateMutexW",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle OPEN_MUTEX = function("OpenMutexW",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle RELEASE_MUTEX = function("ReleaseMutex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT_FOR_SINGLE_OBJECT = function("WaitForSingleObject",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE_HANDLE = function("CloseHandle", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FORMAT_MESSAGE = Ffm.LINKER.downcallHandle(symbol("FormatMessageW"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return Ffm.LINKER.downcallHandle(symbol(name), descriptor, LAST_ERROR.option);
    }

    private static MemorySegment symbol(String name) {
        return KERNEL32.find(name).orElseThrow(() -> new UnsatisfiedLinkError("cannot find " + name + " in kernel32"));
    }

    /** A name as {@code LPCWSTR}: UTF-16, NUL-terminated. */
    private static MemorySegment wide(Arena arena, String name) {
        return arena.allocateFrom(name, StandardCharsets.UTF_16LE);
    }

    private static int bool(boolean value) {
        return value ? 1 : 0;
    }

    @Override
    public long createFileMapping(long size, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) CREATE_FILE_MAPPING.invokeExact(LAST_ERROR.segment(),
                    MemorySegment.ofAddress(Win32.INVALID_HANDLE_VALUE), MemorySegment.NULL, Win32.PAGE_READWRITE,
                    (int) (size >>> 32), (int) size, wide(arena, name));
            return handle.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long openFileMapping(int access, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) OPEN_FILE_MAPPING.invokeExact(LAST_ERROR.segment(), access,
                    bool(false), wide(arena, name));
            return handle.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long mapViewOfFile(long mapping, int access, long size) {
        try {
            MemorySegment view = (MemorySegment) MAP_VIEW_OF_FILE.invokeExact(LAST_ERROR.segment(),
                    MemorySegment.ofAddress(mapping), access, 0, 0, size);
            return view.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public boolean unmapViewOfFile(long view) {
        try {
            return (int) UNMAP_VIEW_OF_FILE.invokeExact(LAST_ERROR.segment(), MemorySegment.ofAddress(view)) != 0;
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long regionSize(long view) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(MEMORY_BASIC_INFORMATION_SIZE, Long.BYTES);
            MemorySegment process = (MemorySegment) GET_CURRENT_PROCESS.invokeExact();
            long got = (long) VIRTUAL_QUERY_EX.invokeExact(LAST_ERROR.segment(), process,
                    MemorySegment.ofAddress(view), info, MEMORY_BASIC_INFORMATION_SIZE);
            return got == 0 ? 0 : info.get(JAVA_LONG, REGION_SIZE_OFFSET);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long createEvent(boolean manualReset, boolean initialState, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) CREATE_EVENT.invokeExact(LAST_ERROR.segment(), MemorySegment.NULL,
                    bool(manualReset), bool(initialState), wide(arena, name));
            return handle.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long openEvent(int access, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) OPEN_EVENT.invokeExact(LAST_ERROR.segment(), access,
                    bool(false), wide(arena, name));
            return handle.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public boolean setEvent(long event) {
        try {
            return (int) SET_EVENT.invokeExact(LAST_ERROR.segment(), MemorySegment.ofAddress(event)) != 0;
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long createMutex(boolean initialOwner, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) CREATE_MUTEX.invokeExact(LAST_ERROR.segment(), MemorySegment.NULL,
                    bool(initialOwner), wide(arena, name));
            return handle.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long openMutex(int access, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) OPEN_MUTEX.invokeExact(LAST_ERROR.segment(), access,
                    bool(false), wide(arena, name));
            return handle.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public boolean releaseMutex(long mutex) {
        try {
            return (int) RELEASE_MUTEX.invokeExact(LAST_ERROR.segment(), MemorySegment.ofAddress(mutex)) != 0;
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int waitForSingleObject(long handle, int millis) {
        try {
            return (int) WAIT_FOR_SINGLE_OBJECT.invokeExact(LAST_ERROR.segment(), MemorySegment.ofAddress(handle),
                    millis);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public boolean closeHandle(long handle) {
        try {
            return (int) CLOSE_HANDLE.invokeExact(LAST_ERROR.segment(), MemorySegment.ofAddress(handle)) != 0;
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int lastError() {
        return LAST_ERROR.value();
    }

    @Override
    public String message(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(JAVA_CHAR, MESSAGE_CHARS);
            int length = (int) FORMAT_MESSAGE.invokeExact(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                    MemorySegment.NULL, code, 0, buffer, MESSAGE_CHARS, MemorySegment.NULL);
            if (length == 0) {
                return null; // the system has no text for this code
            }
            return new String(buffer.asSlice(0, (long) length * Character.BYTES).toArray(JAVA_CHAR)).trim();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public NativeCalls.View view(long address, long size) {
        return Ffm.view(address, size);
    }
}
