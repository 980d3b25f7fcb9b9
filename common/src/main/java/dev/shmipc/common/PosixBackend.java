package dev.shmipc.common;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.unix.LibCAPI;
import com.sun.jna.platform.unix.LibCUtil;

/** Named shared memory on Linux and macOS: {@code shm_open}, {@code ftruncate}, {@code mmap}. */
final class PosixBackend implements Mapping.Backend {
    /** How often create-or-open retries when the name vanishes between its two calls. */
    private static final int CREATE_OR_OPEN_ATTEMPTS = 5;

    @Override
    public Mapping create(ObjectName name, int size, int mode, boolean openIfExists) {
        for (int attempt = 1; ; attempt++) {
            int fd = Posix.LIB.shm_open(name.nativeName(), Posix.O_CREAT | Posix.O_EXCL | Posix.O_RDWR, mode);
            if (fd >= 0) {
                return createdObject(name, fd, size);
            }
            int errno = Native.getLastError();
            if (errno != Posix.EEXIST || !openIfExists) {
                throw Posix.error("shm_open", name, errno);
            }
            // The name exists: open it as it is, like CreateFileMapping does on Windows.
            fd = Posix.LIB.shm_open(name.nativeName(), Posix.O_RDWR, 0);
            if (fd >= 0) {
                checkedSize(name, fd, size); // an existing object keeps its size
                return map(name, fd, size, true);
            }
            errno = Native.getLastError();
            if (errno != Posix.ENOENT || attempt == CREATE_OR_OPEN_ATTEMPTS) {
                throw Posix.error("shm_open", name, errno);
            }
            // Unlinked between our two calls: try to create it again.
        }
    }

    private Mapping createdObject(ObjectName name, int fd, int size) {
        if (LibCUtil.ftruncate(fd, size) != 0) {
            int errno = Native.getLastError();
            Posix.LIBC.close(fd);
            Posix.LIB.shm_unlink(name.nativeName());
            throw Posix.error("ftruncate", name, errno);
        }
        if (OsFamily.current() == OsFamily.LINUX) {
            int error = Posix.LIB.posix_fallocate(fd, 0, size);
            if (error != 0) {
                Posix.LIBC.close(fd);
                Posix.LIB.shm_unlink(name.nativeName());
                throw Posix.error("posix_fallocate", name, error);
            }
        }
        try {
            return map(name, fd, size, false);
        } catch (IpcException e) {
            Posix.LIB.shm_unlink(name.nativeName()); // we made the name: leave nothing behind
            throw e;
        }
    }

    @Override
    public Mapping open(ObjectName name, int minimumSize) {
        int fd = Posix.LIB.shm_open(name.nativeName(), Posix.O_RDWR, 0);
        if (fd < 0) {
            throw Posix.error("shm_open", name, Native.getLastError());
        }
        return map(name, fd, checkedSize(name, fd, minimumSize), true);
    }

    /**
     * The size of the object behind {@code fd}, which must hold {@code minimumSize} bytes;
     * otherwise closes {@code fd} and throws. Mapping past an object's end would raise SIGBUS on
     * the first access and kill the JVM, so this check comes before every mmap of an object
     * someone else made.
     */
    private static int checkedSize(ObjectName name, int fd, int minimumSize) {
        long size = Posix.size(fd);
        if (size < 0) {
            int errno = Native.getLastError();
            Posix.LIBC.close(fd);
            throw Posix.error(OsFamily.current() == OsFamily.MACOS ? "fstat" : "lseek", name, errno);
        }
        if (size == 0) {
            Posix.LIBC.close(fd);
            throw new IpcException("open", name.name(), 0, "the object has no size yet: its creator has not"
                    + " called ftruncate (it is starting, or it failed); try again", IpcException.Reason.TOO_SMALL);
        }
        if (size < minimumSize) {
            Posix.LIBC.close(fd);
            throw Mapping.tooSmall(name, size, minimumSize);
        }
        if (size > Integer.MAX_VALUE) {
            Posix.LIBC.close(fd);
            throw new IpcException("open", name.name(), 0, "the object is " + size
                    + " bytes; a ByteBuffer can address at most 2 GiB - 1", IpcException.Reason.OTHER);
        }
        return (int) size;
    }

    /** Maps {@code size} bytes of {@code fd} and closes it: the mapping keeps the object alive. */
    private static Mapping map(ObjectName name, int fd, int size, boolean existed) {
        Pointer address = LibCUtil.mmap(null, size, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, fd, 0);
        // mmap reports failure as MAP_FAILED, (void *) -1, not as NULL.
        int errno = Posix.MAP_FAILED.equals(address) ? Native.getLastError() : 0;
        Posix.LIBC.close(fd);
        if (errno != 0) {
            throw Posix.error("mmap", name, errno);
        }
        return new Mapping(address, size, existed) {
            @Override
            void release() {
                Posix.LIBC.munmap(address, new LibCAPI.size_t(size));
            }
        };
    }

    @Override
    public boolean unlink(ObjectName name) {
        if (Posix.LIB.shm_unlink(name.nativeName()) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == Posix.ENOENT) {
            return false;
        }
        throw Posix.error("shm_unlink", name, errno);
    }
}
