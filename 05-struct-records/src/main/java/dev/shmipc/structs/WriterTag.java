package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.Holders;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.Processes;
import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 16 bytes at offset 16 of every object this module's {@link Writer} creates: which kind of
 * object it is and which process made it. They let {@code --remove-stale} remove only what a
 * killed writer of this module left, and never another module's object of the same name (02's
 * Owner also makes {@code MEMORY_MAPPED_FILE_NAME}, with the same bare 14-byte record) or the
 * object of a writer that still runs.
 *
 * <pre>
 *  16                          24                          32
 *  +---------------------------+---------------------------+
 *  | kind: 8 ASCII bytes,      | the writer's pid (long)   |
 *  | NUL-padded ("05-TMMF")    |                           |
 *  +---------------------------+---------------------------+
 * </pre>
 *
 * <p>The writer stores the pid first and the kind with release, so whoever reads the kind
 * (with acquire) reads the pid that goes with it; an object whose tag is not written yet looks
 * foreign, and is left alone.
 */
final class WriterTag {
    /** Where the tag starts in every kind of object: 8-aligned, after the Delphi record's 14 bytes. */
    static final int OFFSET = 16;
    static final int KIND_OFFSET = OFFSET;
    static final int PID_OFFSET = OFFSET + 8;
    static final int SIZE = 16;
    /** The first byte after the tag. */
    static final int END = OFFSET + SIZE;

    /** The kinds of object the writer makes, by action. */
    enum Kind {
        FORM("05-TMMF", "the Delphi record of 'Writer create'"),
        TABLE("05-TICKS", "the tick table of 'Writer ticks'"),
        GUARDED("05-GUARD", "the churned record of 'Writer churn'");

        private final long word;
        private final String description;

        Kind(String tag, String description) {
            this.word = word(tag);
            this.description = description;
        }

        String description() {
            return description;
        }

        static Kind of(long word) {
            for (Kind kind : values()) {
                if (kind.word == word) {
                    return kind;
                }
            }
            return null;
        }

        private static long word(String tag) {
            byte[] bytes = Arrays.copyOf(tag.getBytes(StandardCharsets.US_ASCII), 8);
            return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong();
        }
    }

    private WriterTag() {
    }

    /** Marks {@code shm}, just created, as this process's object of {@code kind}. */
    static void put(SharedMemory shm, Kind kind) {
        shm.setLongRelease(PID_OFFSET, ProcessHandle.current().pid());
        shm.setLongRelease(KIND_OFFSET, kind.word); // after the pid: a reader of the kind sees the pid
    }

    /**
     * Fails unless {@code shm} carries the tag of {@code kind}: a reader that writes into the
     * object (the tick reader's count, the torn-read reader's stop flag) checks it first, so that
     * it never writes into another program's object of the same name.
     */
    static void require(SharedMemory shm, Kind kind) {
        Kind found = shm.size() >= END ? Kind.of(shm.getLongAcquire(KIND_OFFSET)) : null;
        if (found != kind) {
            throw new Cli.Failure("'" + shm.name() + "' is not " + kind.description() + ": " + (found == null
                    ? "it carries no 05-struct-records tag at offset " + OFFSET : "it is " + found.description())
                    + "; left it alone");
        }
    }

    /**
     * What a writer killed between creating and tagging its object leaves: an object of a size
     * this module's writer makes, blank, that no process uses ({@link Holders#abandonedBlank}).
     * No other program's object holds only zeros and nothing else, so it may go.
     */
    private static boolean madeButNeverWritten(SharedMemory shm) {
        int size = shm.size();
        boolean ourSize = size == Writer.FORM_SIZE || size == GuardedMmfData.SIZE
                || size > TickTable.HEADER_SIZE && (size - TickTable.HEADER_SIZE) % TickTable.SLOT_SIZE == 0;
        return ourSize && Holders.abandonedBlank(shm);
    }

    /** What an object of a name turned out to be. */
    enum Status {
        /** No object of that name. */
        NONE,
        /** One of this module's, and the process that made it has ended. */
        STALE,
        /** One of this module's, and the process that made it still runs. */
        LIVE,
        /** Not one of this module's, or not checkable: to be left alone. */
        FOREIGN
    }

    /**
     * The finding about one name.
     *
     * @param why for {@link Status#FOREIGN}, why it is left alone: "not this module's: ..." or
     *            "it cannot be checked: ..."
     */
    record Finding(String name, Status status, Kind kind, long pid, String why) {
        /** What it is, for a message: {@code "the tick table of 'Writer ticks' (pid 42)"}. */
        String what() {
            return kind == null ? "an object with no tag and nothing written, which no process uses (a writer"
                    + " stopped before it tagged it)" : kind.description() + " (pid " + pid + ")";
        }
    }

    /**
     * Looks at the object called {@code name} without changing it: the tag's kind, and whether
     * its writer still runs ({@link Processes#isAlive}, which counts a zombie as ended).
     */
    static Finding inspect(String name) {
        SharedMemory shm;
        try {
            shm = SharedMemory.open(name);
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.NOT_FOUND) {
                return new Finding(name, Status.NONE, null, 0, null);
            }
            return new Finding(name, Status.FOREIGN, null, 0, "it cannot be checked: " + e.getMessage());
        }
        try (shm) {
            if (shm.size() < END) {
                return new Finding(name, Status.FOREIGN, null, 0, "not this module's: it is " + shm.size()
                        + " bytes, too small for this module's tag" + (shm.size() == MmfData.SIZE
                        ? ", a bare TMMFData such as 02-open-existing's Owner makes under the same default name" : ""));
            }
            Kind kind = Kind.of(shm.getLongAcquire(KIND_OFFSET));
            if (kind == null) {
                if (madeButNeverWritten(shm)) {
                    return new Finding(name, Status.STALE, null, 0, null);
                }
                return new Finding(name, Status.FOREIGN, null, 0, "not this module's: it carries no"
                        + " 05-struct-records tag at offset " + OFFSET);
            }
            long pid = shm.getLongAcquire(PID_OFFSET);
            return new Finding(name, Processes.isAlive(pid) ? Status.LIVE : Status.STALE, kind, pid, null);
        }
    }
}
