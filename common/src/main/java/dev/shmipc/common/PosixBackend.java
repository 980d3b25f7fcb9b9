package dev.shmipc.common;

/**
 * Named shared memory on Linux and macOS: {@code shm_open}, {@code ftruncate}, {@code mmap}.
 * Every failed call becomes an {@link IpcException}, and whatever the failed step had made is
 * undone first: the descriptor closed, the mapping unmapped, and a name this call created removed.
 */
final class PosixBackend implements Mapping.Backend {
    /** How often create-or-open retries when the name vanishes between its two calls. */
    private static final int CREATE_OR_OPEN_ATTEMPTS = 5;
    private static final boolean LINUX = OsFamily.current() == OsFamily.LINUX;

    /**
     * The calls of this JVM's binding, asked for at each use rather than when the back end is
     * made: a creation refused at once (the JVM is exiting) must not wait for the binding to load.
     */
    private static PosixCalls c() {
        return Posix.calls();
    }

    @Override
    public Mapping create(ObjectName name, int size, int mode, boolean openIfExists) {
        for (int attempt = 1; ; attempt++) {
            int fd = c().shmOpen(name.nativeName(), Posix.O_CREAT | Posix.O_EXCL | Posix.O_RDWR, mode);
            if (fd >= 0) {
                return createdObject(name, fd, size);
            }
            int errno = c().errno();
            if (errno != Posix.EEXIST || !openIfExists) {
                throw Posix.error("shm_open", name, errno);
            }
            // The name exists: open it as it is, like CreateFileMapping does on Windows.
            requireSharedMemory(name);
            fd = c().shmOpen(name.nativeName(), Posix.O_RDWR, 0);
            if (fd >= 0) {
                return existingObject(name, fd, size, size); // an existing object keeps its size
            }
            errno = c().errno();
            if (errno != Posix.ENOENT || attempt == CREATE_OR_OPEN_ATTEMPTS) {
                throw Posix.error("shm_open", name, errno);
            }
            // Unlinked between our two calls: try to create it again.
        }
    }

    /** Sizes and maps the object this process just created; on failure removes it again. */
    private static Mapping createdObject(ObjectName name, int fd, int size) {
        try {
            if (c().ftruncate(fd, size) != 0) {
                // EFBIG under a file-size limit (ulimit -f): the JVM ignores the SIGXFSZ that comes with it.
                throw Posix.error("ftruncate", name, c().errno());
            }
            // Mapped before its pages are reserved, so that an address-space limit (ulimit -v)
            // fails here without having taken any memory.
            long address = mmap(name, fd, size);
            if (LINUX) {
                // Reserve the pages now, not at the first touch (see PosixCalls#posixFallocate).
                int error = c().posixFallocate(fd, 0, size);
                if (error != 0) {
                    c().munmap(address, size);
                    throw Posix.error("posix_fallocate", name, error);
                }
            }
            return mapping(address, size, fd, false);
        } catch (IpcException e) {
            c().close(fd);
            c().shmUnlink(name.nativeName()); // we made the name: leave nothing behind
            throw e;
        }
    }

    @Override
    public Mapping open(ObjectName name, int minimumSize) {
        requireSharedMemory(name);
        int fd = c().shmOpen(name.nativeName(), Posix.O_RDWR, 0);
        if (fd < 0) {
            throw Posix.error("shm_open", name, c().errno());
        }
        return existingObject(name, fd, minimumSize, 0);
    }

    /** Maps {@code mapSize} bytes of an object someone else made, or all of it if 0; on failure closes {@code fd}. */
    private static Mapping existingObject(ObjectName name, int fd, int minimumSize, int mapSize) {
        try {
            int size = checkedSize(name, fd, minimumSize);
            int mapped = mapSize > 0 ? mapSize : size;
            return mapping(mmap(name, fd, mapped), mapped, fd, true);
        } catch (IpcException e) {
            c().close(fd);
            throw e;
        }
    }

    /**
     * Linux: refuses a name whose file in {@code /dev/shm} is a directory, FIFO, device node and
     * the like, which {@code shm_open} would report as {@code EINVAL}, or open and then fail to
     * measure. macOS keeps shared memory in the kernel, where only shared memory has these names.
     */
    private static void requireSharedMemory(ObjectName name) {
        if (LINUX) {
            String file = name.nativeName().substring(1);
            String kind = Posix.wrongKind(file);
            if (kind != null) {
                throw new IpcException("shm_open", name.name(), 0, "/dev/shm/" + file + " is " + kind
                        + ", not a shared memory object", IpcException.Reason.OTHER);
            }
        }
    }

    /**
     * The size of the object behind {@code fd}, which must hold {@code minimumSize} bytes.
     * Mapping past an object's end would raise SIGBUS on the first access and kill the JVM, so
     * this check comes before every mmap of an object someone else made.
     */
    private static int checkedSize(ObjectName name, int fd, int minimumSize) {
        long size = size(fd);
        if (size < 0) {
            throw Posix.error(LINUX ? "lseek" : "fstat", name, c().errno());
        }
        if (size == 0) {
            throw new IpcException("open", name.name(), 0, "the object has no size yet: its creator has not"
                    + " called ftruncate (it is starting, or it failed); try again", IpcException.Reason.TOO_SMALL);
        }
        if (size < minimumSize) {
            throw Mapping.tooSmall(name, size, minimumSize);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IpcException("open", name.name(), 0, "the object is " + size
                    + " bytes; a ByteBuffer can address at most 2 GiB - 1", IpcException.Reason.OTHER);
        }
        return (int) size;
    }

    /** {@code mmap(MAP_SHARED)} of {@code size} bytes of {@code fd}; leaves {@code fd} open. */
    private static long mmap(ObjectName name, int fd, int size) {
        long address = c().mmap(size, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, fd, 0);
        // mmap reports failure as MAP_FAILED, (void *) -1, not as NULL.
        if (address == Posix.MAP_FAILED) {
            throw Posix.error("mmap", name, c().errno());
        }
        return address;
    }

    /**
     * The mapping keeps {@code fd} open until it is released, so that {@link Mapping#currentSize()}
     * can tell whether the object shrank under it (on Linux a peer can truncate it).
     */
    private static Mapping mapping(long address, int size, int fd, boolean existed) {
        return new Mapping(c().view(address, size), size, existed) {
            @Override
            void release() {
                view.close();
                c().munmap(address, size);
                c().close(fd);
            }

            @Override
            long currentSize() {
                return size(fd);
            }
        };
    }

    /** The size of the object behind {@code fd}, or -1 with errno set. */
    private static long size(int fd) {
        return LINUX ? c().lseek(fd, 0, Posix.SEEK_END) : c().fstatSize(fd);
    }

    @Override
    public boolean unlink(ObjectName name) {
        if (c().shmUnlink(name.nativeName()) == 0) {
            return true;
        }
        int errno = c().errno();
        if (errno == Posix.ENOENT) {
            return false;
        }
        throw Posix.error("shm_unlink", name, errno);
    }
}
