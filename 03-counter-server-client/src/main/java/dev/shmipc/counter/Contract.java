package dev.shmipc.counter;

import java.time.Duration;

/**
 * What this module's programs agree on: the names, sizes and byte offsets of its two objects,
 * the article's exchange ({@code test.shmem}, either side of which can be the original C++
 * program) and the race ({@code race.shmem}). Both are ints in native byte order.
 *
 * <p>Each side of the exchange writes only its own slot and reads the other's; that single-writer
 * rule is why the article needs no lock. The slots are read with acquire and written with release
 * ({@code SharedMemory.getIntAcquire}/{@code setIntRelease}). An acquire read is never hoisted out
 * of a loop or cached, so each round reads memory again and sees the other side's write
 * eventually; it does not promise the latest value, which may be a moment old (the next round
 * looks again). For one int each way, opaque access would do as much. Acquire/release is the
 * weakest access that also publishes the data written before the number, which a protocol needs
 * as soon as the number announces anything else.
 */
public final class Contract {
    /** The article's object name; {@code /test.shmem} on Linux and macOS, {@code Local\test.shmem} on Windows. */
    public static final String NAME = "test.shmem";
    /** The article's size: one page, though only 8 bytes are used. The race's object is the same size. */
    public static final int SIZE = 4096;

    /**
     * The server's counter, {@code int_ptr[0]}.
     *
     * <pre>
     *  test.shmem, 4096 bytes (one page)
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
     * The article uses only the two slots. The Java server also writes a stamp ({@link Stamp}: a
     * magic number, its pid and its start time) once, right after creating the object, so that a
     * client can tell a running server's object from one a killed server left. The article's C++
     * programs never read or write past {@code int[1]}, so they work with it unchanged.
     */
    public static final int SERVER_OFFSET = 0;
    /** The client's counter, {@code int_ptr[1]}. */
    public static final int CLIENT_OFFSET = Integer.BYTES;
    /** How many times each side checks the other. */
    public static final int ROUNDS = 10;
    /** The server's pause per round, {@code usleep(800000)}. */
    public static final int SERVER_SLEEP_MS = 800;
    /** The client's pause per round, {@code usleep(500000)}. */
    public static final int CLIENT_SLEEP_MS = 500;

    /** The race's object name. */
    public static final String RACE_NAME = "race.shmem";
    /**
     * The one int every worker of the race increments.
     *
     * <pre>
     *  race.shmem, 4096 bytes (one page)
     *
     *  offset 0          4          8          12         16                         40
     *         +----------+----------+----------+----------+--------------------------+
     *         | counter  | ready    | go       | (0)      | the race's stamp (Stamp) |
     *         +----------+----------+----------+----------+--------------------------+
     *           what the    workers    set to 1 by the race once every
     *           workers     that wait  worker waits, so that all of them
     *           increment   for go     count at the same time
     * </pre>
     */
    public static final int COUNTER_OFFSET = 0;
    /** How many workers wait at the start gate; each adds one with {@code getAndAdd}. */
    public static final int READY_OFFSET = 4;
    /** The start gate: 0 while the workers wait, 1 once the race lets them go. */
    public static final int GO_OFFSET = 8;
    /** How long the workers may take to start, and then to count; a worker waits as long for the gate. */
    public static final Duration RACE_TIMEOUT = Duration.ofSeconds(120);

    private Contract() {
    }
}
