package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the programs of this module agree on: one object per story, its default name, the writer
 * that creates it, and the tag at offset 16 that every one of them carries.
 *
 * <pre>
 *   name (default)            created by            layout
 *   MEMORY_MAPPED_FILE_NAME   RecordWriter create   DelphiRecord at 0 (14 bytes), 2 bytes pad, the tag: 32 bytes
 *   market-data               TickWriter            TickTable: header at 0, the tag, slots from 32
 *   MMF_GUARDED               TornWriter            GuardedRecord: sequence, stop flag, the tag, DelphiRecord at 32
 *
 *   the tag, in every object:
 *  16                          24                          32
 *  +---------------------------+---------------------------+
 *  | kind: 8 ASCII bytes,      | the writer's pid (long)   |
 *  | NUL-padded ("05-TMMF")    |                           |
 *  +---------------------------+---------------------------+
 * </pre>
 *
 * <p>The tag lets {@code --remove-stale} remove only what a killed writer of this module left,
 * never another module's object of the same name (02's Owner also makes
 * {@code MEMORY_MAPPED_FILE_NAME}, the bare 14-byte record) or the object of a writer that still
 * runs; and a reader that writes into an object checks it first. The writer stores the pid first
 * and the kind with release, so whoever reads the kind (with acquire) reads the pid that goes
 * with it; an object whose tag is not written yet looks foreign, and is left alone.
 */
final class Contract {
    /** The Delphi record's name: the article's. */
    static final String RECORD_NAME = "MEMORY_MAPPED_FILE_NAME";
    /** The market-data table's name. */
    static final String TABLE_NAME = "market-data";
    /** The name of the record the torn-read story churns. */
    static final String GUARDED_NAME = "MMF_GUARDED";

    /** Where the tag starts in every kind of object: 8-aligned, after the Delphi record's 14 bytes. */
    static final int TAG_OFFSET = 16;
    static final int KIND_OFFSET = TAG_OFFSET;
    static final int PID_OFFSET = TAG_OFFSET + 8;
    /** The first byte after the tag. */
    static final int TAG_END = TAG_OFFSET + 16;
    /** The object {@code RecordWriter create} makes: the 14-byte record, 2 bytes of padding, the tag. */
    static final int RECORD_OBJECT_SIZE = TAG_END;

    /** The kinds of object, one per story, each with the writer that creates it. */
    enum Kind {
        RECORD("05-TMMF", "the Delphi record", "RecordWriter", "RecordWriter create", RECORD_NAME),
        TABLE("05-TICKS", "the tick table", "TickWriter", "TickWriter", TABLE_NAME),
        GUARDED("05-GUARD", "the churned record", "TornWriter", "TornWriter", GUARDED_NAME);

        private final long word;
        private final String what;
        /** The program, for {@code --remove-stale}. */
        final String writer;
        /** The command that creates the object. */
        final String creator;
        final String defaultName;

        Kind(String tag, String what, String writer, String creator, String defaultName) {
            byte[] bytes = Arrays.copyOf(tag.getBytes(StandardCharsets.US_ASCII), 8);
            this.word = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong();
            this.what = what;
            this.writer = writer;
            this.creator = creator;
            this.defaultName = defaultName;
        }

        /** For messages: {@code "the tick table of 'TickWriter'"}. */
        String description() {
            return what + " of '" + creator + "'";
        }
    }

    private Contract() {
    }

    /** Marks {@code shm}, just created, as this process's object of {@code kind}. */
    static void tag(SharedMemory shm, Kind kind) {
        shm.setLongRelease(PID_OFFSET, ProcessHandle.current().pid());
        shm.setLongRelease(KIND_OFFSET, kind.word); // after the pid: a reader of the kind sees the pid
    }

    /** The kind the tag of {@code shm} names, or null: too small, no tag, or not this module's. */
    static Kind kindOf(SharedMemory shm) {
        if (shm.size() < TAG_END) {
            return null;
        }
        long word = shm.getLongAcquire(KIND_OFFSET);
        return Arrays.stream(Kind.values()).filter(kind -> kind.word == word).findFirst().orElse(null);
    }

    /** The pid in the tag of {@code shm}; read it after {@link #kindOf}. */
    static long writerPid(SharedMemory shm) {
        return shm.getLongAcquire(PID_OFFSET);
    }

    /**
     * Fails unless {@code shm} carries the tag of {@code kind}: a reader that writes into the
     * object (the tick reader's count, the torn-read reader's stop flag) checks it first, so that
     * it never writes into another program's object of the same name.
     */
    static void requireTag(SharedMemory shm, Kind kind) {
        Kind found = kindOf(shm);
        if (found != kind) {
            throw new Cli.Failure("'" + shm.name() + "' is not " + kind.description() + ": " + (found == null
                    ? "it carries no 05-struct-records tag at offset " + TAG_OFFSET : "it is " + found.description())
                    + "; left it alone");
        }
    }
}
