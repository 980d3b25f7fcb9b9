package dev.shmipc.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The POSIX constants of this layer on Linux and macOS, by C header, and the helpers its POSIX
 * back ends share. The calls themselves are {@link PosixCalls}, through the binding
 * {@link NativeBinding} picks: {@link #calls()}.
 */
final class Posix {
    private Posix() {
    }

    private static final OsFamily OS = OsFamily.current();
    private static final boolean MACOS = OS == OsFamily.MACOS;

    // <fcntl.h>: Linux (the generic values, x86-64 and arm64 alike) or macOS (<sys/fcntl.h>).
    static final int O_RDWR = 0x0002;
    static final int O_CREAT = MACOS ? 0x0200 : 0100;
    static final int O_EXCL = MACOS ? 0x0800 : 0200;

    // <sys/mman.h>: the same values on Linux and macOS. MAP_FAILED is (void *) -1.
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final long MAP_FAILED = -1;

    // <unistd.h>
    static final int SEEK_END = 2;

    // <errno.h>: Linux (<asm-generic/errno*.h>) or macOS (<sys/errno.h>), where only two differ.
    static final int ENOENT = 2;
    /** {@code sem_post} at {@code SEM_VALUE_MAX}: 75 on Linux, 84 on macOS. */
    static final int EOVERFLOW = MACOS ? 84 : 75;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EAGAIN = MACOS ? 35 : 11;
    static final int ETIMEDOUT = MACOS ? 60 : 110;

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

    /** {@code sizeof(struct stat)} on macOS (64-bit inode layout, the only one on arm64). */
    static final int MACOS_STAT_SIZE = 144;
    /** The offset of {@code st_size} in that {@code struct stat}. */
    static final int MACOS_ST_SIZE_OFFSET = 96;
    /** Intel macOS keeps the old 32-bit-inode layout as {@code fstat}; this symbol has the one above. */
    static final String FSTAT_INTEL_MACOS = "fstat$INODE64";

    /** The POSIX calls of this JVM's binding (loaded at the first call, which may throw a LinkageError). */
    static PosixCalls calls() {
        return NativeBinding.posix();
    }

    /** True for {@code SEM_FAILED}: {@code (sem_t *) 0} in glibc, {@code (sem_t *) -1} on macOS. */
    static boolean semFailed(long sem) {
        return sem == 0 || sem == -1;
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
        return new IpcException(call, name.name(), errno, calls().strerror(errno), reason);
    }
}
