package dev.shmipc.common;

/**
 * The POSIX calls of this layer, one method per C function, returning what C returns: -1,
 * {@code MAP_FAILED} (-1) or {@code SEM_FAILED} (0 or -1, see {@link Posix#semFailed}) on
 * failure, with {@code errno} captured right after the call and read with {@link #errno()}.
 * Descriptors are ints; addresses and {@code sem_t *} are longs. 64-bit processes only.
 */
interface PosixCalls extends NativeCalls {
    /** {@code shm_open(name, oflag, mode)}: a descriptor, or -1. The mode is variadic on macOS. */
    int shmOpen(String name, int oflag, int mode);

    int shmUnlink(String name);

    int ftruncate(int fd, long length);

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: the address, or -1 ({@code MAP_FAILED}). */
    long mmap(long length, int prot, int flags, int fd, long offset);

    int munmap(long address, long length);

    int close(int fd);

    /** Linux: the size of a shm object is its tmpfs file's end ({@code SEEK_END}). */
    long lseek(int fd, long offset, int whence);

    /**
     * macOS, where shm objects cannot seek: {@code fstat(fd, &st)}, returning {@code st_size}, or
     * -1 (see {@link Posix#MACOS_STAT_SIZE} for the layout).
     */
    long fstatSize(int fd);

    /**
     * Linux: reserves the object's pages now. {@code ftruncate} alone leaves a tmpfs object
     * sparse, and touching a page {@code /dev/shm} cannot supply raises SIGBUS, which kills the
     * JVM. Returns an error number instead of setting errno.
     */
    int posixFallocate(int fd, long offset, long length);

    /** {@code sem_open(name, O_CREAT | ..., mode, value)}: both variadic in C. */
    long semCreate(String name, int oflag, int mode, int value);

    /** {@code sem_open(name, oflag)}, opening an existing semaphore. */
    long semOpen(String name, int oflag);

    int semPost(long sem);

    /** Linux only (macOS has none): waits until the CLOCK_REALTIME time {@code seconds.nanos}. */
    int semTimedwait(long sem, long seconds, long nanos);

    /** Fails with {@code EAGAIN} instead of waiting. */
    int semTrywait(long sem);

    int semClose(long sem);

    int semUnlink(String name);

    /** The {@code errno} the last call above left on this thread. */
    int errno();

    /** {@code strerror(errnum)}: the C library's text for an error number. */
    String strerror(int errnum);
}
