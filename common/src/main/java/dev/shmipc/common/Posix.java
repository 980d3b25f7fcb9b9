package dev.shmipc.common;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.platform.linux.ErrNo;
import com.sun.jna.platform.linux.Fcntl;
import com.sun.jna.platform.linux.Mman;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The POSIX calls and constants this project needs on Linux and macOS.
 *
 * <p>Every function is declared here, returning what C returns: a failure is a value (-1,
 * {@code MAP_FAILED}, {@code SEM_FAILED}) that the caller checks right after the call, reading
 * {@code errno} at once with {@link Native#getLastError()}. jna-platform declares some of them,
 * but not in a form that serves both OSes:
 * <ul>
 *   <li>{@code LibRT} declares {@code shm_open} and {@code shm_unlink}, but loads {@code librt},
 *       which macOS does not have (its {@code shm_*} are in libc), and declares
 *       {@code shm_open}'s mode as a fixed argument, while on macOS {@code shm_open} is variadic
 *       and arm64 passes variadic arguments differently (see {@link Lib#shm_open}).</li>
 *   <li>{@code LibCUtil.mmap} and {@code LibCUtil.ftruncate} throw {@code LastErrorException}
 *       instead of returning the failure, which skips the caller's clean-up.</li>
 *   <li>{@code close} and {@code munmap} of its {@code LibCAPI} would work, but are declared in
 *       {@link Lib} too, so that every call this layer makes is in one interface, with one rule.</li>
 * </ul>
 * {@code sem_*}, {@code lseek}, {@code fstat}, {@code strerror} and {@code posix_fallocate} it
 * does not declare at all. From jna-platform come the Linux values of the constants
 * ({@link Fcntl}, {@link Mman}, {@link ErrNo}).
 *
 * <p>64-bit processes only: {@code size_t} and {@code off_t} are declared as Java {@code long},
 * as is {@code time_t} in {@link Semaphores#sem_timedwait}.
 */
final class Posix {
    private Posix() {
    }

    /**
     * libc functions. On glibc before 2.34 {@code shm_open} and {@code shm_unlink} are in librt
     * only, so this interface is loaded from librt there; the rest resolve through it from libc,
     * which librt depends on.
     */
    interface Lib extends Library {
        /**
         * {@code int shm_open(const char *name, int oflag, ...)} on macOS, where the mode is a
         * variadic argument: arm64 macOS passes variadic arguments on the stack, not in
         * registers, so the mode must be declared as Java varargs for JNA to pass it correctly.
         * glibc declares a fixed {@code mode_t mode}; passing it the same way is correct there.
         */
        int shm_open(String name, int oflag, Object... mode);

        int shm_unlink(String name);

        /** {@code int ftruncate(int fd, off_t length)}: -1 and errno on failure. */
        int ftruncate(int fd, long length);

        /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}: {@link #MAP_FAILED} on failure. */
        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);

        int close(int fd);

        /** Linux only: the size of a shm object is its tmpfs file's end ({@code SEEK_END}). */
        long lseek(int fd, long offset, int whence);

        /** macOS only, where shm objects cannot seek: {@code st_size} of {@code struct stat}. */
        int fstat(int fd, Pointer statBuffer);

        String strerror(int errnum);

        /**
         * Linux only: reserves the object's pages now. {@code ftruncate} alone leaves a tmpfs
         * object sparse, and touching a page {@code /dev/shm} cannot supply raises SIGBUS, which
         * kills the JVM. Returns an error number instead of setting errno.
         */
        int posix_fallocate(int fd, long offset, long length);
    }

    /**
     * POSIX named semaphores, {@code <semaphore.h>} (in libpthread on glibc before 2.34). A
     * {@code sem_t *} is an opaque {@link Pointer}; jna-platform declares none of these.
     */
    interface Semaphores extends Library {
        /**
         * {@code sem_t *sem_open(const char *name, int oflag, ...)}: with {@code O_CREAT} two
         * variadic arguments follow, {@code mode_t mode} and {@code unsigned int value}. They are
         * declared as Java varargs so that JNA passes them the variadic way, which arm64 macOS
         * requires (on the stack, not in registers). Failure: see {@link Posix#semFailed}.
         */
        Pointer sem_open(String name, int oflag, Object... modeAndValue);

        int sem_post(Pointer sem);

        /**
         * Linux only: macOS has no {@code sem_timedwait}. {@code abstime} is CLOCK_REALTIME, a
         * {@code struct timespec} of a 64-bit process passed as {@code long[] {tv_sec, tv_nsec}}:
         * the same 16 bytes, and JNA copies a primitive array without the reflection that a
         * {@code Structure} costs on every call (this is the hot path of every event and mutex).
         */
        int sem_timedwait(Pointer sem, long[] abstime);

        /** Fails with {@code EAGAIN} instead of waiting. */
        int sem_trywait(Pointer sem);

        int sem_close(Pointer sem);

        int sem_unlink(String name);
    }

    private static final OsFamily OS = OsFamily.current();

    static final Lib LIB = OS.isPosix() ? load() : null;
    static final Semaphores SEM = OS.isPosix() ? loadSemaphores() : null;

    // <fcntl.h>: Linux from jna-platform; macOS from its <sys/fcntl.h>.
    static final int O_RDWR = OS == OsFamily.MACOS ? 0x0002 : Fcntl.O_RDWR;
    static final int O_CREAT = OS == OsFamily.MACOS ? 0x0200 : Fcntl.O_CREAT;
    static final int O_EXCL = OS == OsFamily.MACOS ? 0x0800 : Fcntl.O_EXCL;

    // <sys/mman.h>: the same values on Linux and macOS.
    static final int PROT_READ = Mman.PROT_READ;
    static final int PROT_WRITE = Mman.PROT_WRITE;
    static final int MAP_SHARED = Mman.MAP_SHARED;
    static final Pointer MAP_FAILED = Mman.MAP_FAILED;

    // <unistd.h>
    static final int SEEK_END = 2;

    // <errno.h>: Linux from jna-platform; macOS from its <sys/errno.h>.
    static final int ENOENT = ErrNo.ENOENT;
    static final int EINTR = ErrNo.EINTR;
    static final int EACCES = ErrNo.EACCES;
    static final int EEXIST = ErrNo.EEXIST;
    static final int EAGAIN = OS == OsFamily.MACOS ? 35 : ErrNo.EAGAIN;
    static final int ETIMEDOUT = OS == OsFamily.MACOS ? 60 : ErrNo.ETIMEDOUT;

    /**
     * {@code sizeof(sem_t)} in glibc on a 64-bit process: {@code __SIZEOF_SEM_T} is 32 where
     * {@code __WORDSIZE == 64} ({@code bits/semaphore.h}), 16 on 32-bit ones. {@code sem_open}
     * maps this many bytes of {@code /dev/shm/sem.<name>} without checking the file's size.
     */
    static final long GLIBC_SEM_T_SIZE = 32;

    // <sys/stat.h>: the file type bits of st_mode, the same on Linux and macOS.
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFSOCK = 0140000;

    // <sys/stat.h> on macOS (64-bit inode layout, the only one on arm64): offset of st_size.
    private static final int MACOS_STAT_SIZE = 144;
    private static final int MACOS_ST_SIZE_OFFSET = 96;

    private static Lib load() {
        // glibc 2.34 moved shm_open into libc; older glibc has it in librt only.
        String library = hasSymbol(Platform.C_LIBRARY_NAME, "shm_open") ? Platform.C_LIBRARY_NAME : "rt";
        Map<String, Object> options = Map.of();
        if (OS == OsFamily.MACOS && Platform.isIntel()) {
            // Intel macOS keeps the old 32-bit-inode stat as "fstat"; the layout above is this one.
            options = Map.of(Library.OPTION_FUNCTION_MAPPER,
                    (com.sun.jna.FunctionMapper) (lib, method) ->
                            method.getName().equals("fstat") ? "fstat$INODE64" : method.getName());
        }
        return Native.load(library, Lib.class, options);
    }

    private static Semaphores loadSemaphores() {
        // glibc 2.34 moved the sem_* functions into libc; older glibc has them in libpthread.
        String library = hasSymbol(Platform.C_LIBRARY_NAME, "sem_open") ? Platform.C_LIBRARY_NAME : "pthread";
        return Native.load(library, Semaphores.class);
    }

    private static boolean hasSymbol(String library, String symbol) {
        // Outside the catch: the C library is always there, so a failure here is JNA's own (it
        // could not load its native part, for instance under ulimit -f) and must say so.
        NativeLibrary lib = NativeLibrary.getInstance(library);
        try {
            lib.getFunction(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** True for {@code SEM_FAILED}: {@code (sem_t *) 0} in glibc, {@code (sem_t *) -1} on macOS. */
    static boolean semFailed(Pointer sem) {
        return sem == null || Pointer.nativeValue(sem) == -1L;
    }

    /** The size of the object behind {@code fd}, or -1 with errno set. */
    static long size(int fd) {
        if (OS == OsFamily.MACOS) {
            try (Memory stat = new Memory(MACOS_STAT_SIZE)) {
                stat.clear();
                return LIB.fstat(fd, stat) == 0 ? stat.getLong(MACOS_ST_SIZE_OFFSET) : -1;
            }
        }
        return LIB.lseek(fd, 0, SEEK_END);
    }

    /**
     * Linux only: what the file {@code /dev/shm/<file>} is, if it exists and is not a regular
     * file ("a directory", "a FIFO", ...); null if it is a regular file, or absent, or cannot be
     * looked at. glibc keeps every POSIX shared-memory object and semaphore as a file there:
     * {@code shm_open("/x")} opens {@code /dev/shm/x} and {@code sem_open("/x")} opens
     * {@code /dev/shm/sem.x}, both with {@code O_NOFOLLOW}. Asked before the call, by path:
     * a file swapped in between is not seen, and then the call's own error is reported.
     */
    static String wrongKind(String file) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(Path.of("/dev/shm", file), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null; // absent, or the unix view is missing: the call itself will say
        }
        switch (mode & S_IFMT) {
            case S_IFREG:
                return null;
            case S_IFDIR:
                return "a directory";
            case S_IFLNK:
                return "a symbolic link";
            case S_IFIFO:
                return "a FIFO";
            case S_IFSOCK:
                return "a socket";
            case S_IFCHR:
                return "a character device";
            case S_IFBLK:
                return "a block device";
            default:
                return "not a regular file";
        }
    }

    /** The size of {@code /dev/shm/<file>} (Linux), or -1 if it cannot be read. */
    static long fileSize(String file) {
        try {
            return Files.size(Path.of("/dev/shm", file));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Permission bits for a {@code mode_t}. */
    static int mode(java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions) {
        int mode = 0;
        for (var permission : permissions) {
            // The enum runs OWNER_READ .. OTHERS_EXECUTE, i.e. from bit 8 (0400) down to bit 0.
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    /** An exception for a call that failed with {@code errno}. */
    static IpcException error(String call, ObjectName name, int errno) {
        IpcException.Reason reason;
        if (errno == ENOENT) {
            reason = IpcException.Reason.NOT_FOUND;
        } else if (errno == EEXIST) {
            reason = IpcException.Reason.ALREADY_EXISTS;
        } else if (errno == EACCES) {
            reason = IpcException.Reason.ACCESS_DENIED;
        } else if (errno == ETIMEDOUT) {
            reason = IpcException.Reason.TIMEOUT;
        } else {
            reason = IpcException.Reason.OTHER;
        }
        return new IpcException(call, name.name(), errno, LIB.strerror(errno), reason);
    }
}
