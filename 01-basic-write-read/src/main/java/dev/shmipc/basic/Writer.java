package dev.shmipc.basic;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * writer of that mode left under the name (Linux, macOS), and only that: see {@link Leftover}.
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
        boolean frames = args.mode("frames", "message").equals("frames");
        if (args.removeStale()) {
            return removeStale(args, frames);
        }
        return frames ? frames(args) : message(args);
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

        try (SharedMemory shm = create(name, size, true)) {
            // CSharedMemory::Initialize zero-fills the area; a new object is zero-filled already,
            // but the article does it explicitly, and so do we.
            shm.buffer().put(0, new byte[size]);
            say("created " + name + " (" + size + " bytes, zero-filled)");

            var memory = shm.buffer();
            if (nonstop) {
                say("writing round after round: press Enter to stop, remove it and exit (or wait "
                        + hold.toSeconds() + " s)");
                CompletableFuture<String> stop = awaitStop(hold);
                long written = 0;
                for (; !stop.isDone(); written++) {
                    writeRound(memory, written, size, quiet);
                    if (intervalMs > 0) {
                        try {
                            stop.get(intervalMs, TimeUnit.MILLISECONDS);
                        } catch (TimeoutException e) {
                            // the interval is over and nothing stopped us: next round
                        }
                    }
                }
                say(stop.get() == null ? "wrote for " + hold.toSeconds() + " s, time is up" : stop.get());
                say("wrote " + written + " rounds");
            } else {
                for (int round = 0; round < rounds; round++) {
                    writeRound(memory, round, size, quiet);
                    if (intervalMs > 0 && round + 1 < rounds) {
                        Thread.sleep(intervalMs);
                    }
                }
                say("wrote " + rounds + " rounds");
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
            say("round " + round + " wrote: " + Contract.hex(frame));
        }
    }

    /** Article 004, part 1: one wide string into a 2048-byte mapping, then "pause". */
    private static int message(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.MESSAGE_NAME);
        int size = args.intOption("size", Contract.MESSAGE_SIZE, 2, Contract.MAX_SIZE);
        String text = args.option("text", Contract.MESSAGE);
        Duration hold = args.hold(DEFAULT_HOLD_SECONDS);
        byte[] units = Contract.encode(text, size); // checked before anything is created

        try (SharedMemory shm = create(name, size, false)) {
            say("created " + name + " (" + size + " bytes)");
            // CopyMemory(pBuf, data, wcslen(data) * sizeof(wchar_t)): no terminator copied.
            shm.buffer().put(0, units);
            say("wrote \"" + text + "\" (" + units.length / 2 + " UTF-16 code units, " + units.length + " bytes)");
            hold(shm, hold);
            remove(shm);
        }
        return Cli.EXIT_OK;
    }

    /** CreateFileMapping, but refusing a name that exists, so a writer never shares by accident. */
    private static SharedMemory create(String name, int size, boolean frames) {
        try {
            return SharedMemory.create(name, size).unlinkOnExit();
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.ALREADY_EXISTS) {
                throw new Cli.Failure(whatIsThere(name, size, frames));
            }
            throw e;
        }
    }

    /** Why the name is taken, as far as this process can tell, and what to do about it. */
    private static String whatIsThere(String name, int size, boolean frames) {
        String taken = "shared memory '" + name + "' already exists";
        if (OsFamily.current() == OsFamily.WINDOWS) {
            return taken + ": a running process holds it (Windows removes a mapping with its last handle);"
                    + " stop that process, or choose another --name";
        }
        String removeStale = "Writer " + (frames ? "frames" : "message") + " --" + Cli.REMOVE_STALE
                + " --name " + name + (size == (frames ? Contract.FRAME_SIZE : Contract.MESSAGE_SIZE) ? ""
                        : " --size " + size);
        Leftover found = Leftover.inspect(name, frames, size);
        switch (found.state) {
            case NOTHING:
                return taken + ", and was removed since; try again";
            case IN_USE:
                return taken + ": " + found.detail + "; stop that process, or choose another --name";
            case STALE:
                return Leftover.usersVisible()
                        ? taken + ": " + found.detail + ", as a killed writer leaves it; remove it with: " + removeStale
                        : taken + ": " + found.detail + "; another writer is running, or a killed one left it;"
                                + " if none is running, remove it with: " + removeStale;
            case NOT_OURS:
                return taken + " and is not this writer's to remove: " + found.detail + "; choose another --name";
            default:
                return "the name '" + name + "' is taken by something this writer cannot read as shared memory: "
                        + found.detail + "; choose another --name";
        }
    }

    /** The article's {@code _getwch()}: wait for a key, here Enter, end of input or the hold time. */
    private static void hold(SharedMemory shm, Duration hold) throws InterruptedException {
        say("holding " + shm.name() + ": press Enter to remove it and exit (or wait " + hold.toSeconds() + " s)");
        String what = Cli.awaitEnter(hold);
        say(what != null ? what : "held " + hold.toSeconds() + " s, time is up");
    }

    /** The same wait as {@link #hold}, on its own thread, for a writer that works meanwhile. */
    private static CompletableFuture<String> awaitStop(Duration hold) {
        CompletableFuture<String> stop = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                stop.complete(Cli.awaitEnter(hold));
            } catch (InterruptedException e) {
                stop.complete("interrupted");
            }
        }, "hold");
        waiter.setDaemon(true);
        waiter.start();
        return stop;
    }

    private static void remove(SharedMemory shm) {
        // UnmapViewOfFile and CloseHandle (munmap on POSIX) follow when try-with-resources closes it.
        boolean removed = shm.unlink();
        if (OsFamily.current() == OsFamily.WINDOWS) {
            say("closing " + shm.name() + ": Windows removes a mapping with its last handle");
        } else {
            say(removed ? "removed " + shm.name() : shm.name() + " was already removed");
        }
    }

    /**
     * {@code --remove-stale}: removes what a killed writer of this mode left under the name, after
     * checking that it is one ({@link Leftover}); never another program's object, never one a
     * process still has mapped. One line, exit 0 if nothing was refused, 1 if something was.
     */
    private static int removeStale(Cli.Args args, boolean frames) {
        for (String other : List.of("rounds", "interval-ms", "text", Cli.HOLD)) {
            if (args.option(other, null) != null) {
                throw new Cli.UsageException("--" + other + " does not go with --" + Cli.REMOVE_STALE);
            }
        }
        for (String other : List.of("quiet", "nonstop")) {
            if (args.flag(other)) {
                throw new Cli.UsageException("--" + other + " does not go with --" + Cli.REMOVE_STALE);
            }
        }
        String name = args.option("name", frames ? Contract.FRAMES_NAME : Contract.MESSAGE_NAME);
        int size = frames ? args.intOption("size", Contract.FRAME_SIZE, 1, Contract.MAX_FRAME_SIZE)
                : args.intOption("size", Contract.MESSAGE_SIZE, 2, Contract.MAX_SIZE);
        if (OsFamily.current() == OsFamily.WINDOWS) {
            say("nothing to remove on Windows: a mapping disappears with its last handle");
            return Cli.EXIT_OK;
        }
        Leftover found = Leftover.inspect(name, frames, size);
        switch (found.state) {
            case NOTHING:
                say("nothing there: " + found.detail);
                return Cli.EXIT_OK;
            case STALE:
                // Between the look and this call another process could replace the object; the
                // window is as short as it can be without a lock that every program would take.
                say(SharedMemory.unlink(name) ? "removed " + name + ": " + found.detail
                        : "nothing there: " + name + " was removed meanwhile");
                return Cli.EXIT_OK;
            case IN_USE:
                say("in use, left it: " + name + " is " + found.detail);
                return Cli.EXIT_FAILURE;
            case NOT_OURS:
                say("not this module's, left it: " + name + ": " + found.detail);
                return Cli.EXIT_FAILURE;
            default:
                say("cannot read it, left it: " + found.detail);
                return Cli.EXIT_FAILURE;
        }
    }

    private static void say(String line) {
        System.out.println("[writer] " + line);
    }
}
