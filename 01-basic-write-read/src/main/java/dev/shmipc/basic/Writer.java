package dev.shmipc.basic;

import dev.shmipc.common.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.time.Duration;
import java.util.Set;

/**
 * The writing side of articles 000 and 004 (part 1): creates the named mapping, writes into it,
 * and keeps it alive until Enter, end of input, Ctrl-C or the hold time runs out; then removes it.
 *
 * <pre>
 *   Writer frames  [--name N] [--size BYTES] [--rounds R] [--interval-ms MS] [--quiet] [--hold-seconds S]
 *   Writer message [--name N] [--size BYTES] [--text T] [--hold-seconds S]
 *   Writer remove  [--name N]      removes an object a killed writer left behind (Linux, macOS)
 * </pre>
 */
public final class Writer {
    static final String USAGE = "Writer frames|message|remove [--name N] [--size BYTES] [--rounds R]"
            + " [--interval-ms MS] [--quiet] [--text T] [--hold-seconds S]";
    private static final Set<String> OPTIONS = Set.of("name", "size", "rounds", "interval-ms", "text", "hold-seconds");
    private static final Set<String> FLAGS = Set.of("quiet");

    private Writer() {
    }

    public static void main(String[] args) {
        Cli.main("writer", USAGE, OPTIONS, FLAGS, args, Writer::run);
    }

    static int run(Cli.Args args) throws Exception {
        switch (args.mode("frames", "message", "remove")) {
            case "frames":
                return frames(args);
            case "message":
                return message(args);
            default:
                return remove(args.option("name", Contract.FRAMES_NAME));
        }
    }

    /** Article 000: a new frame each round, {@code data[i] = i + round}, no synchronisation. */
    private static int frames(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.FRAMES_NAME);
        int size = args.intOption("size", Contract.FRAME_SIZE, 1, Contract.MAX_FRAME_SIZE);
        int rounds = args.intOption("rounds", 10, 1, Integer.MAX_VALUE);
        long intervalMs = args.longOption("interval-ms", 1000, 0, 3_600_000);
        long holdSeconds = holdSeconds(args);
        boolean quiet = args.flag("quiet");

        try (SharedMemory shm = create(name, size)) {
            // CSharedMemory::Initialize zero-fills the area; a new object is zero-filled already,
            // but the article does it explicitly, and so do we.
            shm.buffer().put(0, new byte[size]);
            say("created " + name + " (" + size + " bytes, zero-filled)");

            var memory = shm.buffer();
            for (int round = 0; round < rounds; round++) {
                byte[] frame = Contract.frame(round, size);
                // CSharedMemory::Write copies byte by byte; a bulk put is the same copy, and is
                // just as unsynchronised: a reader may see part of this frame and part of the last.
                memory.put(0, frame);
                if (!quiet) {
                    say("round " + round + " wrote: " + Contract.hex(frame));
                }
                if (intervalMs > 0 && round + 1 < rounds) {
                    Thread.sleep(intervalMs);
                }
            }
            say("wrote " + rounds + " rounds");
            holdThenRemove(shm, holdSeconds);
        }
        return Cli.EXIT_OK;
    }

    /** Article 004, part 1: one wide string into a 2048-byte mapping, then "pause". */
    private static int message(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.MESSAGE_NAME);
        int size = args.intOption("size", Contract.MESSAGE_SIZE, 2, Contract.MAX_SIZE);
        String text = args.option("text", Contract.MESSAGE);
        long holdSeconds = holdSeconds(args);
        byte[] units = Contract.encode(text, size); // checked before anything is created

        try (SharedMemory shm = create(name, size)) {
            say("created " + name + " (" + size + " bytes)");
            // CopyMemory(pBuf, data, wcslen(data) * sizeof(wchar_t)): no terminator copied.
            shm.buffer().put(0, units);
            say("wrote \"" + text + "\" (" + units.length / 2 + " UTF-16 code units, " + units.length + " bytes)");
            holdThenRemove(shm, holdSeconds);
        }
        return Cli.EXIT_OK;
    }

    private static long holdSeconds(Cli.Args args) {
        return args.longOption("hold-seconds", 600, 1, 86_400);
    }

    /** CreateFileMapping, but refusing a name that exists, so a writer never shares by accident. */
    private static SharedMemory create(String name, int size) {
        try {
            return SharedMemory.create(name, size).unlinkOnExit();
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.ALREADY_EXISTS) {
                throw new Cli.Failure("shared memory '" + name + "' already exists: another writer is running, or a"
                        + " killed one left it behind; stop that writer, or remove it with: Writer remove --name " + name);
            }
            throw e;
        }
    }

    /** The article's {@code _getwch()}: wait for a key, here Enter, end of input or the hold time. */
    private static void holdThenRemove(SharedMemory shm, long holdSeconds) throws InterruptedException {
        say("holding " + shm.name() + ": press Enter to remove it and exit (or wait " + holdSeconds + " s)");
        if (Cli.awaitEnter(Duration.ofSeconds(holdSeconds)) == null) {
            say("held " + holdSeconds + " s");
        }
        // UnmapViewOfFile and CloseHandle (munmap on POSIX) follow when try-with-resources closes it.
        boolean removed = shm.unlink();
        if (OsFamily.current() == OsFamily.WINDOWS) {
            say("closing " + shm.name() + ": Windows removes a mapping with its last handle");
        } else {
            say(removed ? "removed " + shm.name() : shm.name() + " was already removed");
        }
    }

    private static int remove(String name) {
        if (OsFamily.current() == OsFamily.WINDOWS) {
            say("nothing to remove on Windows: a mapping disappears with its last handle");
        } else if (SharedMemory.unlink(name)) {
            say("removed " + name);
        } else {
            say("no shared memory named " + name);
        }
        return Cli.EXIT_OK;
    }

    private static void say(String line) {
        System.out.println("[writer] " + line);
    }
}
