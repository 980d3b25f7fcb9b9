package dev.shmipc.common;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * {@link PosixCalls} through JNA, on Linux and macOS. jna-platform declares some of these
 * functions, but not in a form that serves both OSes:
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
 * does not declare at all. {@code errno} is {@link Native#getLastError()}, which JNA saves right
 * after every call. 64-bit processes only: {@code size_t} and {@code off_t} are Java {@code long},
 * as is {@code time_t} in {@link Semaphores#sem_timedwait}.
 */
final class JnaPosixCalls implements PosixCalls {
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

        int ftruncate(int fd, long length);

        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);

        int close(int fd);

        long lseek(int fd, long offset, int whence);

        int fstat(int fd, Pointer statBuffer);

        String strerror(int errnum);

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
         * requires (on the stack, not in registers).
         */
        Pointer sem_open(String name, int oflag, Object... modeAndValue);

        int sem_post(Pointer sem);

        /**
         * {@code abstime} is a {@code struct timespec} of a 64-bit process passed as
         * {@code long[] {tv_sec, tv_nsec}}: the same 16 bytes, and JNA copies a primitive array
         * without the reflection that a {@code Structure} costs on every call.
         */
        int sem_timedwait(Pointer sem, long[] abstime);

        int sem_trywait(Pointer sem);

        int sem_close(Pointer sem);

        int sem_unlink(String name);
    }

    private final Lib lib = load();
    private final Semaphores sem = loadSemaphores();

    private static Lib load() {
        // glibc 2.34 moved shm_open into libc; older glibc has it in librt only.
        String library = hasSymbol(Platform.C_LIBRARY_NAME, "shm_open") ? Platform.C_LIBRARY_NAME : "rt";
        Map<String, Object> options = Map.of();
        if (OsFamily.current() == OsFamily.MACOS && Platform.isIntel()) {
            // Intel macOS keeps the old 32-bit-inode stat as "fstat"; Posix's layout is the 64-bit one.
            options = Map.of(Library.OPTION_FUNCTION_MAPPER, (FunctionMapper) (lib, method) ->
                    method.getName().equals("fstat") ? Posix.FSTAT_INTEL_MACOS : method.getName());
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

    @Override
    public int shmOpen(String name, int oflag, int mode) {
        return lib.shm_open(name, oflag, mode);
    }

    @Override
    public int shmUnlink(String name) {
        return lib.shm_unlink(name);
    }

    @Override
    public int ftruncate(int fd, long length) {
        return lib.ftruncate(fd, length);
    }

    @Override
    public long mmap(long length, int prot, int flags, int fd, long offset) {
        return Pointer.nativeValue(lib.mmap(null, length, prot, flags, fd, offset));
    }

    @Override
    public int munmap(long address, long length) {
        return lib.munmap(new Pointer(address), length);
    }

    @Override
    public int close(int fd) {
        return lib.close(fd);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        return lib.lseek(fd, offset, whence);
    }

    @Override
    public long fstatSize(int fd) {
        try (Memory stat = new Memory(Posix.MACOS_STAT_SIZE)) {
            stat.clear();
            return lib.fstat(fd, stat) == 0 ? stat.getLong(Posix.MACOS_ST_SIZE_OFFSET) : -1;
        }
    }

    @Override
    public int posixFallocate(int fd, long offset, long length) {
        return lib.posix_fallocate(fd, offset, length);
    }

    @Override
    public long semCreate(String name, int oflag, int mode, int value) {
        return Pointer.nativeValue(sem.sem_open(name, oflag, mode, value));
    }

    @Override
    public long semOpen(String name, int oflag) {
        return Pointer.nativeValue(sem.sem_open(name, oflag));
    }

    @Override
    public int semPost(long semaphore) {
        return sem.sem_post(new Pointer(semaphore));
    }

    @Override
    public int semTimedwait(long semaphore, long seconds, long nanos) {
        return sem.sem_timedwait(new Pointer(semaphore), new long[] {seconds, nanos});
    }

    @Override
    public int semTrywait(long semaphore) {
        return sem.sem_trywait(new Pointer(semaphore));
    }

    @Override
    public int semClose(long semaphore) {
        return sem.sem_close(new Pointer(semaphore));
    }

    @Override
    public int semUnlink(String name) {
        return sem.sem_unlink(name);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    @Override
    public String strerror(int errnum) {
        return lib.strerror(errnum);
    }

    @Override
    public NativeCalls.View view(long address, long size) {
        return jnaView(address, size);
    }

    /** A JNA view: a direct buffer over the address, with nothing to close. */
    static NativeCalls.View jnaView(long address, long size) {
        return NativeCalls.View.of(new Pointer(address).getByteBuffer(0, size), () -> { });
    }
}
