package dev.shmipc.common;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * {@link PosixCalls} through the Foreign Function and Memory API (Java 22 and later), on Linux
 * and macOS: one downcall handle per C function, found in the C library by the linker's default
 * lookup (on glibc before 2.34 in librt and libpthread). Every call that sets {@code errno}
 * captures it ({@link Ffm.CapturedState}), and {@link #errno()} reads what the calling thread's
 * last call saved.
 *
 * <p>{@code shm_open} and {@code sem_open} are variadic in C: their mode and value are declared
 * so ({@code Linker.Option.firstVariadicArg}), which arm64 macOS requires (variadic arguments go
 * on the stack there, not in registers). glibc declares {@code shm_open} with a fixed mode;
 * x86-64 and arm64 Linux pass an int the same way either way.
 *
 * <p>Linking a native function and giving a native address a size are restricted operations:
 * the JVM needs {@code --enable-native-access=ALL-UNNAMED}, or it warns.
 */
@SuppressWarnings("restricted") // this class is the binding: its restricted calls are the point
final class FfmPosixCalls implements PosixCalls {
    private static final boolean MACOS = OsFamily.current() == OsFamily.MACOS;
    private static final SymbolLookup LIBC = Ffm.LINKER.defaultLookup();

    private static final Ffm.CapturedState ERRNO = new Ffm.CapturedState("errno");
    /** After {@code name} and {@code oflag}, C's {@code ...}. */
    private static final Linker.Option VARIADIC_MODE = Linker.Option.firstVariadicArg(2);

    // The first parameter of each handle that captures errno is ERRNO.segment().
    private static final MethodHandle SHM_OPEN = function(false, "shm_open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), VARIADIC_MODE);
    private static final MethodHandle SHM_UNLINK = function(false, "shm_unlink",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FTRUNCATE = function(false, "ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MMAP = function(false, "mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = function(false, "munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = function(false, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle LSEEK = MACOS ? null : function(false, "lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FSTAT = MACOS ? function(false,
            "x86_64".equals(System.getProperty("os.arch")) ? Posix.FSTAT_INTEL_MACOS : "fstat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)) : null;
    /** Returns its error; sets no errno, so nothing is captured. */
    private static final MethodHandle POSIX_FALLOCATE = MACOS ? null : Ffm.LINKER.downcallHandle(
            symbol(false, "posix_fallocate"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle STRERROR = Ffm.LINKER.downcallHandle(symbol(false, "strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final MethodHandle SEM_CREATE = function(true, "sem_open",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT), VARIADIC_MODE);
    /** {@code sem_open} with no variadic argument: called as the fixed two-argument function it then is. */
    private static final MethodHandle SEM_OPEN = function(true, "sem_open",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle SEM_POST = function(true, "sem_post", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SEM_TIMEDWAIT = MACOS ? null : function(true, "sem_timedwait",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SEM_TRYWAIT = function(true, "sem_trywait",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SEM_CLOSE = function(true, "sem_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SEM_UNLINK = function(true, "sem_unlink",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /** {@code struct timespec} of a 64-bit process: {@code tv_sec}, {@code tv_nsec}. */
    private static final long TIMESPEC_SIZE = 16;

    /** Per thread: the timespec of sem_timedwait. Freed with the thread. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(TIMESPEC_SIZE, Long.BYTES));

    /** A downcall handle that captures errno. */
    private static MethodHandle function(boolean semaphore, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO.option;
        System.arraycopy(options, 0, all, 1, options.length);
        return Ffm.LINKER.downcallHandle(symbol(semaphore, name), descriptor, all);
    }

    /**
     * A C library function. glibc 2.34 moved {@code shm_*} out of librt and {@code sem_*} out of
     * libpthread into libc; on older glibc the default lookup does not find them.
     */
    private static MemorySegment symbol(boolean semaphore, String name) {
        Optional<MemorySegment> found = LIBC.find(name);
        if (found.isEmpty() && !MACOS) {
            String library = semaphore ? "libpthread.so.0" : "librt.so.1";
            try {
                found = SymbolLookup.libraryLookup(library, Arena.global()).find(name);
            } catch (IllegalArgumentException e) {
                throw new UnsatisfiedLinkError("cannot find " + name + " in the C library or " + library);
            }
        }
        return found.orElseThrow(() -> new UnsatisfiedLinkError("cannot find " + name + " in the C library"));
    }

    @Override
    public int shmOpen(String name, int oflag, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) SHM_OPEN.invokeExact(ERRNO.segment(), arena.allocateFrom(name), oflag, mode);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int shmUnlink(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) SHM_UNLINK.invokeExact(ERRNO.segment(), arena.allocateFrom(name));
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int ftruncate(int fd, long length) {
        try {
            return (int) FTRUNCATE.invokeExact(ERRNO.segment(), fd, length);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment address = (MemorySegment) MMAP.invokeExact(ERRNO.segment(), MemorySegment.NULL,
                    length, prot, flags, fd, offset);
            return address.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int munmap(long address, long length) {
        try {
            return (int) MUNMAP.invokeExact(ERRNO.segment(), MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(ERRNO.segment(), fd);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        try {
            return (long) LSEEK.invokeExact(ERRNO.segment(), fd, offset, whence);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long fstatSize(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stat = arena.allocate(Posix.MACOS_STAT_SIZE, Long.BYTES); // zero-filled
            int result = (int) FSTAT.invokeExact(ERRNO.segment(), fd, stat);
            return result == 0 ? stat.get(JAVA_LONG, Posix.MACOS_ST_SIZE_OFFSET) : -1;
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int posixFallocate(int fd, long offset, long length) {
        try {
            return (int) POSIX_FALLOCATE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long semCreate(String name, int oflag, int mode, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sem = (MemorySegment) SEM_CREATE.invokeExact(ERRNO.segment(), arena.allocateFrom(name),
                    oflag, mode, value);
            return sem.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public long semOpen(String name, int oflag) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sem = (MemorySegment) SEM_OPEN.invokeExact(ERRNO.segment(), arena.allocateFrom(name), oflag);
            return sem.address();
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int semPost(long sem) {
        try {
            return (int) SEM_POST.invokeExact(ERRNO.segment(), MemorySegment.ofAddress(sem));
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int semTimedwait(long sem, long seconds, long nanos) {
        MemorySegment until = TIMESPEC.get();
        until.set(JAVA_LONG, 0, seconds);
        until.set(JAVA_LONG, Long.BYTES, nanos);
        try {
            return (int) SEM_TIMEDWAIT.invokeExact(ERRNO.segment(), MemorySegment.ofAddress(sem), until);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int semTrywait(long sem) {
        try {
            return (int) SEM_TRYWAIT.invokeExact(ERRNO.segment(), MemorySegment.ofAddress(sem));
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int semClose(long sem) {
        try {
            return (int) SEM_CLOSE.invokeExact(ERRNO.segment(), MemorySegment.ofAddress(sem));
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int semUnlink(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) SEM_UNLINK.invokeExact(ERRNO.segment(), arena.allocateFrom(name));
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public int errno() {
        return ERRNO.value();
    }

    @Override
    public String strerror(int errnum) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errnum);
            // A C string of unknown length: give the address room to find its NUL.
            return text.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw Ffm.unexpected(t);
        }
    }

    @Override
    public NativeCalls.View view(long address, long size) {
        return Ffm.view(address, size);
    }
}
