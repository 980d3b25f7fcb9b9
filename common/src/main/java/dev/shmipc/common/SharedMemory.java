package dev.shmipc.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A named shared-memory object mapped into this process: the one owner of the native mapping.
 *
 * <table>
 *   <caption>What each method does on each OS</caption>
 *   <tr><th>method</th><th>Linux, macOS</th><th>Windows</th></tr>
 *   <tr><td>{@link #create}</td><td>{@code shm_open(O_CREAT|O_EXCL|O_RDWR, 0600)},
 *       {@code ftruncate}, {@code mmap(MAP_SHARED)}, {@code posix_fallocate} (Linux); on a
 *       failure {@code munmap}, {@code close}, {@code shm_unlink}</td>
 *       <td>{@code CreateFileMapping(INVALID_HANDLE_VALUE, PAGE_READWRITE)}, fails on
 *       {@code ERROR_ALREADY_EXISTS}; {@code MapViewOfFile}</td></tr>
 *   <tr><td>{@link #createOrOpen}</td><td>as create; on {@code EEXIST} {@code shm_open(O_RDWR)}</td>
 *       <td>{@code CreateFileMapping}, which opens an existing object and reports 183</td></tr>
 *   <tr><td>{@link #open(String)}</td><td>{@code shm_open(O_RDWR)}, size from the object, {@code mmap}</td>
 *       <td>{@code OpenFileMapping}, {@code MapViewOfFile(..., 0)}, size from {@code VirtualQuery}</td></tr>
 *   <tr><td>{@link #close}</td><td>{@code munmap}, {@code close} (the descriptor stays open
 *       while mapped, to tell a truncated object: see {@link #describeFault()})</td><td>{@code UnmapViewOfFile}, {@code CloseHandle}</td></tr>
 *   <tr><td>{@link #unlink(String)}</td><td>{@code shm_unlink}</td><td>nothing: see below</td></tr>
 * </table>
 *
 * <p><b>Lifetime.</b> On Linux and macOS the name lives in the kernel until someone calls
 * {@link #unlink(String)}, even after every process using it has exited: an owner must remove it
 * (see {@link #unlinkOnExit()} for Ctrl-C). On Windows the object is reference counted and
 * disappears when its last handle closes, so there is nothing to remove and no stale object
 * after a crash.
 *
 * <p><b>Data.</b> {@link #buffer()} views the memory as a {@link ByteBuffer} in native byte
 * order; the int and long methods give the acquire, release and compare-and-set accesses that
 * another process needs to see a value at the right moment. Memory shared with a native program
 * holds native byte order, while a fresh Java {@code ByteBuffer} is big-endian: always read
 * through {@link #buffer()}, which has the order set.
 *
 * <p><b>Size.</b> A mapping is at most {@link Integer#MAX_VALUE} bytes (a {@code ByteBuffer}'s
 * limit). The size of an object opened by name is what the OS reports: exact on Linux, rounded up
 * to whole pages on macOS and Windows.
 *
 * <p><b>Safety.</b> After {@link #close()} the memory is unmapped: a {@code ByteBuffer} obtained
 * earlier must not be used any more (with JNA the JVM would crash on the access; with the FFM
 * binding the buffer's arena is closed first, and the access throws
 * {@link IllegalStateException}). Close only when no thread still uses the mapping; this class
 * does not lock. On Linux a peer can truncate an
 * object under a mapping; the next access past the new end throws {@link InternalError}
 * ("a fault occurred in ... unsafe memory access"), and {@link #describeFault()} names the object.
 */
public final class SharedMemory implements AutoCloseable {
    /** The permissions POSIX objects get unless the caller asks for others: 0600. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            Set.copyOf(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Every object of this process that is mapped and not closed: what {@link #describeFault()} looks at. */
    private static final Set<SharedMemory> OPEN = ConcurrentHashMap.newKeySet();
    /**
     * Objects found smaller than their mapping when they were closed: a fault propagates through
     * try-with-resources, which closes the object before anyone can ask about it.
     */
    private static final Set<String> SHRUNK_WHEN_CLOSED = ConcurrentHashMap.newKeySet();

    private final ObjectName name;
    private final Mapping.Backend backend;
    private final boolean existed;
    private final int size;
    private Mapping mapping;
    private ByteBuffer memory;
    private ExitHook unlinkHook;

    private SharedMemory(ObjectName name, Mapping.Backend backend, Mapping mapping) {
        this.name = name;
        this.backend = backend;
        this.mapping = mapping;
        this.existed = mapping.existed;
        this.size = (int) mapping.size;
        this.memory = mapping.view.buffer().order(ByteOrder.nativeOrder());
        OPEN.add(this);
    }

    /**
     * Creates a new object of {@code size} bytes, zero-filled, and maps it.
     *
     * @throws IpcException with {@link IpcException.Reason#ALREADY_EXISTS} if the name is taken
     */
    public static SharedMemory create(String name, int size) {
        return create(name, size, OWNER_ONLY);
    }

    /** As {@link #create(String, int)}, with the POSIX permissions given (ignored on Windows). */
    public static SharedMemory create(String name, int size, Set<PosixFilePermission> permissions) {
        return make(name, size, permissions, false);
    }

    /**
     * Creates the object, or opens it if the name exists, like {@code CreateFileMapping}; see
     * {@link #existed()}. An existing object keeps its size, which must be at least {@code size};
     * {@code size} bytes of it are mapped.
     *
     * @throws IpcException with {@link IpcException.Reason#TOO_SMALL} if an existing object is smaller
     */
    public static SharedMemory createOrOpen(String name, int size) {
        return createOrOpen(name, size, OWNER_ONLY);
    }

    /** As {@link #createOrOpen(String, int)}, with the POSIX permissions for a new object. */
    public static SharedMemory createOrOpen(String name, int size, Set<PosixFilePermission> permissions) {
        return make(name, size, permissions, true);
    }

    private static SharedMemory make(String name, int size, Set<PosixFilePermission> permissions,
            boolean openIfExists) {
        ObjectName objectName = ObjectName.of(name);
        if (size <= 0) {
            throw new IllegalArgumentException("invalid size " + size + " for '" + name + "': it must be at least 1 byte");
        }
        Mapping.Backend backend = Mapping.Backend.current();
        if (!OsFamily.current().isPosix()) {
            return new SharedMemory(objectName, backend,
                    backend.create(objectName, size, Posix.mode(permissions), openIfExists));
        }
        // A POSIX name outlives the process: a signal while the object is being made must not
        // leave it. The guard removes a name this call created; the caller's unlinkOnExit takes over.
        Mapping[] made = new Mapping[1];
        return ExitHook.guard("unlink " + objectName + " (being made)", () -> {
            made[0] = backend.create(objectName, size, Posix.mode(permissions), openIfExists);
            return new SharedMemory(objectName, backend, made[0]);
        }, () -> {
            if (made[0] != null && !made[0].existed) {
                backend.unlink(objectName);
            }
        });
    }

    /**
     * Opens an existing object and maps all of it, like {@code MapViewOfFile(..., 0)}.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} if there is no such object
     */
    public static SharedMemory open(String name) {
        return open(name, 1);
    }

    /**
     * Opens an existing object that must be at least {@code minimumSize} bytes, and maps all of it.
     * A smaller object is an error, never a mapping past its end.
     *
     * @throws IpcException with {@link IpcException.Reason#NOT_FOUND} or {@link IpcException.Reason#TOO_SMALL}
     */
    public static SharedMemory open(String name, int minimumSize) {
        ObjectName objectName = ObjectName.of(name);
        if (minimumSize <= 0) {
            throw new IllegalArgumentException("invalid minimum size " + minimumSize + " for '" + name + "'");
        }
        Mapping.Backend backend = Mapping.Backend.current();
        return new SharedMemory(objectName, backend, backend.open(objectName, minimumSize));
    }

    /**
     * Removes the name so that no one can open it any more; processes that have it mapped keep
     * their memory until they close it.
     *
     * <p>POSIX: {@code shm_unlink}. Windows: does nothing and returns false, because a Windows
     * mapping has no name apart from its open handles and disappears with the last of them.
     *
     * @return true if a name was removed, false if there was none
     */
    public static boolean unlink(String name) {
        return Mapping.Backend.current().unlink(ObjectName.of(name));
    }

    /** Removes this object's name now; see {@link #unlink(String)}. Cancels {@link #unlinkOnExit()}. */
    public synchronized boolean unlink() {
        // Name first, hook second: a signal between the two then finds the name gone already.
        // The other order leaves a window in which the JVM exits with neither having run.
        boolean removed = backend.unlink(name);
        cancelUnlinkHook();
        return removed;
    }

    /**
     * Removes the name when the JVM exits, also on Ctrl-C (SIGINT) or SIGTERM, unless
     * {@link #unlink()} removed it first. The hook only removes the name: it never unmaps memory
     * that another thread may still be using. Nothing can run on SIGKILL or a crash; on POSIX
     * the name is then left behind and must be removed with {@link #unlink(String)}. If the JVM
     * is already shutting down (a signal came while the object was being made), the name is
     * removed at once. A signal whose hooks all finish between the object's creation and this
     * call (a few microseconds) leaves the name too. The hook removes the name, not this object: if someone
     * else removed it and made a new object of the same name, the hook removes theirs.
     *
     * @return this
     */
    public synchronized SharedMemory unlinkOnExit() {
        if (unlinkHook == null) {
            // If a signal came while the object was being made, it is too late for a hook: now.
            unlinkHook = ExitHook.addOrRunNow("unlink " + name, () -> {
                try {
                    backend.unlink(name);
                } catch (IpcException e) {
                    System.err.println(e.getMessage());
                }
            });
        }
        return this;
    }

    private void cancelUnlinkHook() {
        if (unlinkHook != null) {
            unlinkHook.cancel(); // false if it is running: it then finds nothing left to remove
            unlinkHook = null;
        }
    }

    /** The portable name this object was created or opened with. */
    public String name() {
        return name.name();
    }

    /** The name as the OS knows it: {@code /demo} on POSIX, {@code Local\demo} on Windows. */
    public String nativeName() {
        return name.nativeName();
    }

    /** The number of bytes mapped. */
    public int size() {
        return size;
    }

    /** True if the object existed before this call (always true after {@link #open}). */
    public boolean existed() {
        return existed;
    }

    /**
     * A new view of the whole mapping: position 0, limit {@link #size()}, native byte order.
     * Views are independent in position and limit and share the bytes.
     */
    public ByteBuffer buffer() {
        return memory().duplicate().order(ByteOrder.nativeOrder());
    }

    /** Reads the int at {@code offset} with acquire semantics: later reads cannot move before it. */
    public int getIntAcquire(int offset) {
        return (int) INT.getAcquire(memory(), aligned(offset, Integer.BYTES));
    }

    /**
     * Reads the int at {@code offset} with volatile semantics: in one total order with every
     * other volatile access and compare-and-set. What a store-then-load handshake between two
     * processes needs (each side writes its word, then reads the other's), where acquire is
     * not enough.
     */
    public int getIntVolatile(int offset) {
        return (int) INT.getVolatile(memory(), aligned(offset, Integer.BYTES));
    }

    /** Reads the long at {@code offset} with acquire semantics. */
    public long getLongAcquire(int offset) {
        return (long) LONG.getAcquire(memory(), aligned(offset, Long.BYTES));
    }

    /** Writes the int at {@code offset} with release semantics: earlier writes are visible first. */
    public void setIntRelease(int offset, int value) {
        INT.setRelease(memory(), aligned(offset, Integer.BYTES), value);
    }

    /** Writes the long at {@code offset} with release semantics. */
    public void setLongRelease(int offset, long value) {
        LONG.setRelease(memory(), aligned(offset, Long.BYTES), value);
    }

    /** Atomically sets the int at {@code offset} to {@code update} if it is {@code expected}. */
    public boolean compareAndSetInt(int offset, int expected, int update) {
        return INT.compareAndSet(memory(), aligned(offset, Integer.BYTES), expected, update);
    }

    /** Atomically sets the long at {@code offset} to {@code update} if it is {@code expected}. */
    public boolean compareAndSetLong(int offset, long expected, long update) {
        return LONG.compareAndSet(memory(), aligned(offset, Long.BYTES), expected, update);
    }

    /** Atomically adds {@code delta} to the int at {@code offset}; returns the previous value. */
    public int getAndAddInt(int offset, int delta) {
        return (int) INT.getAndAdd(memory(), aligned(offset, Integer.BYTES), delta);
    }

    /** Atomically adds {@code delta} to the long at {@code offset}; returns the previous value. */
    public long getAndAddLong(int offset, long delta) {
        return (long) LONG.getAndAdd(memory(), aligned(offset, Long.BYTES), delta);
    }

    private int aligned(int offset, int width) {
        // The mapping starts on a page boundary, so an aligned offset is an aligned address.
        if (offset % width != 0) {
            throw new IllegalArgumentException("offset " + offset + " in '" + name
                    + "' is not a multiple of " + width + ": atomic access needs natural alignment");
        }
        if (offset < 0 || offset > size - width) {
            throw new IndexOutOfBoundsException("offset " + offset + " (+" + width + " bytes) is outside '"
                    + name + "', which is " + size + " bytes");
        }
        return offset;
    }

    private ByteBuffer memory() {
        ByteBuffer current = memory;
        if (current == null) {
            throw new IllegalStateException("shared memory '" + name + "' is closed");
        }
        return current;
    }

    /** Unmaps the memory and closes the OS handle. Idempotent. The name is not removed. */
    @Override
    public synchronized void close() {
        if (mapping != null) {
            OPEN.remove(this);
            String shrunk = shrunk();
            if (shrunk != null) {
                SHRUNK_WHEN_CLOSED.add(shrunk);
            }
            memory = null;
            mapping.release();
            mapping = null;
        }
    }

    /**
     * Says which mapped object a memory fault most likely hit, for the one-line report of an
     * {@link InternalError} "a fault occurred in ... unsafe memory access": HotSpot's report of a
     * SIGBUS in a {@code ByteBuffer} or {@code VarHandle} access. With shared memory the cause is
     * a peer that truncated an object this process has mapped (possible on Linux). Names every
     * object that is now smaller than its mapping, or was when it was closed; if none is, names
     * every open object.
     *
     * @return the description, or null if none of this applies (the fault is not about shared memory)
     */
    public static String describeFault() {
        Set<String> shrunk = new TreeSet<>();
        for (String message : SHRUNK_WHEN_CLOSED) { // each is reported once, then forgotten
            if (SHRUNK_WHEN_CLOSED.remove(message)) {
                shrunk.add(message);
            }
        }
        Set<String> open = new TreeSet<>();
        for (SharedMemory shm : OPEN) {
            synchronized (shm) {
                if (shm.mapping != null) {
                    open.add(shm.nativeName());
                    String message = shm.shrunk();
                    if (message != null) {
                        shrunk.add(message);
                    }
                }
            }
        }
        if (!shrunk.isEmpty()) {
            return String.join("; ", shrunk);
        }
        if (open.isEmpty()) {
            return null;
        }
        return "a memory access to shared memory failed: a peer truncated one of " + open
                + ", or /dev/shm had no room left for a page of it";
    }

    /** What to say if the object is now smaller than this mapping; null if it is not, or the OS cannot say. */
    private String shrunk() {
        long now = mapping.currentSize();
        return now >= 0 && now < size ? nativeName() + " shrank under this process (a peer truncated it to "
                + now + " bytes; " + size + " are mapped)" : null;
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name.nativeName() + ", " + size + " bytes" + (mapping == null ? ", closed]" : "]");
    }
}
