package dev.shmipc.basic;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The reading side of articles 000 and 004 (part 1): opens the writer's mapping by name and
 * prints what it finds, with no synchronisation, exactly like the originals.
 *
 * <pre>
 *   Reader frames  [--name N] [--size BYTES] [--rounds R] [--interval-ms MS]   print frames as they are
 *   Reader message [--name N] [--size BYTES]                                  "Server told us : ..."
 *   Reader watch   [--name N] [--size BYTES] [--seconds S]                    count torn frames
 * </pre>
 */
public final class Reader {
    static final String USAGE = "Reader frames|message|watch [--name N] [--size BYTES] [--rounds R]"
            + " [--interval-ms MS] [--seconds S]";
    private static final Set<String> OPTIONS = Set.of("name", "size", "rounds", "interval-ms", "seconds");

    private Reader() {
    }

    public static void main(String[] args) {
        Cli.main("reader", USAGE, OPTIONS, Set.of(), args, Reader::run);
    }

    static int run(Cli.Args args) throws Exception {
        switch (args.mode("frames", "message", "watch")) {
            case "frames":
                return frames(args);
            case "message":
                return message(args);
            default:
                return watch(args);
        }
    }

    /** Article 000: read the area every interval and print it, whatever state it is in. */
    private static int frames(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.FRAMES_NAME);
        int size = args.intOption("size", Contract.FRAME_SIZE, 1, Contract.MAX_FRAME_SIZE);
        int rounds = args.intOption("rounds", 10, 1, Integer.MAX_VALUE);
        long intervalMs = args.longOption("interval-ms", 1000, 0, 3_600_000);

        try (SharedMemory shm = open(name, size, "frames")) {
            Cli.say("opened " + name + " (" + shm.size() + " bytes), reading " + size);
            ByteBuffer memory = shm.buffer();
            byte[] frame = new byte[size];
            for (int round = 0; round < rounds; round++) {
                memory.get(0, frame); // CSharedMemory::Read: a plain copy, no waiting, no lock
                Cli.say("read: " + Contract.hex(frame) + " (" + Contract.describe(frame) + ")");
                if (intervalMs > 0 && round + 1 < rounds) {
                    Thread.sleep(intervalMs);
                }
            }
        }
        return Cli.EXIT_OK;
    }

    /** Article 004, part 1: open, map BUF_SIZE bytes, print the wide string. */
    private static int message(Cli.Args args) {
        String name = args.option("name", Contract.MESSAGE_NAME);
        int size = args.intOption("size", Contract.MESSAGE_SIZE, 2, Contract.MAX_SIZE);
        try (SharedMemory shm = open(name, size, "message")) {
            ByteBuffer view = shm.buffer().limit(size);
            Cli.say("Server told us : " + Contract.decode(view));
        }
        return Cli.EXIT_OK;
    }

    /**
     * What "no synchronisation" costs: copy the area as fast as possible while the writer
     * rewrites it, and count the frames that mix two rounds.
     */
    private static int watch(Cli.Args args) throws Exception {
        String name = args.option("name", Contract.FRAMES_NAME);
        int size = args.intOption("size", Contract.FRAME_SIZE, 1, Contract.MAX_FRAME_SIZE);
        long seconds = args.longOption("seconds", 3, 1, 3600);

        long[] counts = new long[Contract.Kind.values().length];
        byte[] firstTorn = null;
        try (SharedMemory shm = open(name, size, "frames --nonstop --interval-ms 0 --quiet")) {
            Cli.say("watching " + name + " for " + seconds + " s");
            ByteBuffer memory = shm.buffer();
            byte[] frame = new byte[size];
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                memory.get(0, frame);
                Contract.Kind kind = Contract.classify(frame);
                counts[kind.ordinal()]++;
                if (kind == Contract.Kind.TORN && firstTorn == null) {
                    firstTorn = frame.clone();
                }
            }
        }
        long total = counts[0] + counts[1] + counts[2];
        Cli.say("frames read: " + total + ", whole: " + counts[Contract.Kind.WHOLE.ordinal()]
                + ", torn: " + counts[Contract.Kind.TORN.ordinal()]
                + ", nothing written yet: " + counts[Contract.Kind.EMPTY.ordinal()]);
        if (firstTorn != null) {
            Cli.say("first torn frame: " + Contract.hex(firstTorn) + " (" + Contract.describe(firstTorn) + ")");
        }
        return Cli.EXIT_OK;
    }

    /**
     * OpenFileMapping + MapViewOfFile, with the errors a user can act on; {@code writer} is the
     * writer's mode that makes what this mode reads.
     */
    private static SharedMemory open(String name, int size, String writer) {
        return Cli.attach(() -> SharedMemory.open(name, size), e -> {
            switch (e.reason()) {
                case NOT_FOUND:
                    return "no shared memory named " + name + "; start the writer first: Writer " + writer
                            + " --name " + name;
                case TOO_SMALL:
                    return "shared memory " + name + " is too small: " + e.osMessage();
                default:
                    return null;
            }
        });
    }
}
