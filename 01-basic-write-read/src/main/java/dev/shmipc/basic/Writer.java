package dev.shmipc.basic;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The writing side of articles 000 and 004 (part 1): creates the named mapping, writes into it,
 * and keeps it alive until Enter, end of input, Ctrl-C or the hold time runs out; then removes it.
 *
 * <pre>
 *   Writer frames  [--name N] [--size BYTES] [--rounds R | --nonstop] [--interval-ms MS] [--quiet] [--hold S]
 *   Writer message [--name N] [--size BYTES] [--text T] [--hold S]
 *   Writer frames|message --remove-stale [--name N] [--size BYTES]
 * </pre>
 *
 * <p>{@code --nonstop} writes round after round until Enter, end of input, Ctrl-C or the hold
 * time, instead of a number of rounds then a hold. {@code --remove-stale} removes what a killed
 * writer of that mode left under the name (Linux, macOS), and only that: see {@link RemoveStale}.
 */
public final class Writer {
    static final String USAGE = "Writer frames  [--name N] [--size BYTES] [--rounds R | --nonstop] [--interval-ms MS]"
            + " [--quiet] [--hold SECONDS]\n"
            + "       Writer message [--name N] [--size BYTES] [--text T] [--hold SECONDS]\n"
            + "       Writer frames|message --" + Cli.REMOVE_STALE + " [--name N] [--size BYTES]";
    private static final Set<String> OPTIONS = Set.of("name", "size", "rounds", "interval-ms", "text", Cli.HOLD);
    private static final Set<String> FLAGS = Set.of("quiet", "nonstop", Cli.REMOVE_STALE);
    private static final long DEFAULT_HOLD_SECONDS = 600;

    private Writer() {
    }

    public static void main(String[] args) {
        Cli.main("writer", USAGE, OPTIONS, FLAGS, args, Writer::run);
    }

    static int run(Cli.Args args) throws Exception {
        Contract.Area area = Contract.Area.valueOf(args.mode("frames", "message").toUpperCase(Locale.ROOT));
        if (args.removeStale()) {
            return RemoveStale.run(args, area);
        }
        return area == Contract.Area.FRAMES ? frames(args) : message(args);
    }

    /** Article 000: a new frame each round, {@code data[i] = i + round}, no synchronisation. */
    private static int frames(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.FRAMES_NAME);
        int size = args.intOption("size", Contract.FRAME_SIZE, 1, Contract.MAX_FRAME_SIZE);
        boolean nonstop = args.flag("nonstop");
        if (nonstop && args.option("rounds", null) != null) {
            throw new Cli.UsageException("--rounds and --nonstop do not go together");
        }
        int rounds = args.intOption("rounds", 10, 1, Integer.MAX_VALUE);
        long intervalMs = args.longOption("interval-ms", 1000, 0, 3_600_000);
        Duration hold = args.hold(DEFAULT_HOLD_SECONDS);
        boolean quiet = args.flag("quiet");

        try (SharedMemory shm = create(name, size, Contract.Area.FRAMES)) {
            // CSharedMemory::Initialize zero-fills the area; a new object is zero-filled already,
            // but the article does it explicitly, and so do we.
            shm.buffer().put(0, new byte[size]);
            Cli.say("created " + name + " (" + size + " bytes, zero-filled)");

            var memory = shm.buffer();
            if (nonstop) {
                Nonstop.write(round -> writeRound(memory, round, size, quiet), intervalMs, hold);
            } else {
                for (int round = 0; round < rounds; round++) {
                    writeRound(memory, round, size, quiet);
                    if (intervalMs > 0 && round + 1 < rounds) {
                        Thread.sleep(intervalMs);
                    }
                }
                Cli.say("wrote " + rounds + " rounds");
                hold(shm, hold);
            }
            remove(shm);
        }
        return Cli.EXIT_OK;
    }

    private static void writeRound(ByteBuffer memory, long round, int size, boolean quiet) {
        byte[] frame = Contract.frame((int) round, size); // only round mod 256 shows in the bytes
        // CSharedMemory::Write copies byte by byte; a bulk put is the same copy, and is just as
        // unsynchronised: a reader may see part of this frame and part of the last.
        memory.put(0, frame);
        if (!quiet) {
            Cli.say("round " + round + " wrote: " + Contract.hex(frame));
        }
    }

    /** Article 004, part 1: one wide string into a 2048-byte mapping, then "pause". */
    private static int message(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.MESSAGE_NAME);
        int size = args.intOption("size", Contract.MESSAGE_SIZE, 2, Contract.MAX_SIZE);
        String text = args.option("text", Contract.MESSAGE);
        Duration hold = args.hold(DEFAULT_HOLD_SECONDS);
        byte[] units = Contract.encode(text, size); // checked before anything is created

        try (SharedMemory shm = create(name, size, Contract.Area.MESSAGE)) {
            Cli.say("created " + name + " (" + size + " bytes)");
            // CopyMemory(pBuf, data, wcslen(data) * sizeof(wchar_t)): no terminator copied.
            shm.buffer().put(0, units);
            Cli.say("wrote \"" + text + "\" (" + units.length / 2 + " UTF-16 code units, " + units.length + " bytes)");
            hold(shm, hold);
            remove(shm);
        }
        return Cli.EXIT_OK;
    }

    /** CreateFileMapping, but refusing a name that exists, so a writer never shares by accident. */
    private static SharedMemory create(String name, int size, Contract.Area area) {
        return Cli.attach(() -> SharedMemory.create(name, size).unlinkOnExit(),
                e -> e.reason() == IpcException.Reason.ALREADY_EXISTS ? RemoveStale.whyTaken(name, area, size) : null);
    }

    /** The article's {@code _getwch()}: wait for a key, here Enter, end of input or the hold time. */
    private static void hold(SharedMemory shm, Duration hold) throws InterruptedException {
        Cli.say("holding " + shm.name() + ": press Enter to remove it and exit (or wait " + hold.toSeconds() + " s)");
        String what = Cli.awaitEnter(hold);
        Cli.say(what != null ? what : "held " + hold.toSeconds() + " s, time is up");
    }

    private static void remove(SharedMemory shm) {
        // UnmapViewOfFile and CloseHandle (munmap on POSIX) follow when try-with-resources closes it.
        boolean removed = shm.unlink();
        if (OsFamily.current() == OsFamily.WINDOWS) {
            Cli.say("closing " + shm.name() + ": Windows removes a mapping with its last handle");
        } else {
            Cli.say(removed ? "removed " + shm.name() : shm.name() + " was already removed");
        }
    }
}
