package dev.shmipc.counter;

/**
 * What the server and the client agree on: the contract of the article's {@code shmem_test.cpp},
 * unchanged, so either side can be the original C++ program.
 *
 * <pre>
 *  /test.shmem, 4096 bytes (one page), ints in native byte order
 *
 *  offset 0         4         8        16                    40               4096
 *         +---------+---------+--------+---------------------+---- unused ----+
 *         | server  | client  | (0)    | the server's stamp  |                |
 *         | int[0]  | int[1]  |        | (Stamp)             |                |
 *         +---------+---------+--------+---------------------+----------------+
 *           written only by     written only by
 *           the server          the client
 * </pre>
 *
 * <p>The article uses only the two slots. The Java server also writes a stamp ({@link Stamp}:
 * a magic number, its pid and its start time) once, right after creating the object, so that a
 * client can tell a running server's object from one a killed server left. The article's C++
 * programs never read or write past {@code int[1]}, so they work with it unchanged.
 *
 * <p>Each side writes only its own slot and reads the other's; that single-writer rule is why the
 * article needs no lock. The slots are read with acquire and written with release
 * ({@code SharedMemory.getIntAcquire}/{@code setIntRelease}). For one int each way, opaque access
 * would do: it is neither hoisted out of a loop nor cached, and becomes visible eventually.
 * Acquire/release is the weakest access that also publishes the data written before the number,
 * which a protocol needs as soon as the number announces anything else. Neither promises the
 * latest value, only that the other side's write is seen eventually.
 */
public final class CounterContract {
    /** The article's object name; {@code /test.shmem} on Linux and macOS, {@code Local\test.shmem} on Windows. */
    public static final String NAME = "test.shmem";
    /** The article's size: one page, though only 8 bytes are used. */
    public static final int SIZE = 4096;
    /** The server's counter, {@code int_ptr[0]}. */
    public static final int SERVER_OFFSET = 0;
    /** The client's counter, {@code int_ptr[1]}. */
    public static final int CLIENT_OFFSET = Integer.BYTES;
    /** How many times each side checks the other. */
    public static final int ROUNDS = 10;
    /** The server's pause per round, {@code usleep(800000)}. */
    public static final int SERVER_SLEEP_MS = 800;
    /** The client's pause per round, {@code usleep(500000)}. */
    public static final int CLIENT_SLEEP_MS = 500;

    private CounterContract() {
    }
}
