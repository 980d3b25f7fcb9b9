package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.SharedMemory;
import java.time.Duration;

/**
 * The market-data table the tick writer publishes and the tick reader prints: a small header,
 * then one slot per instrument, each a sequence word and a {@link MarketData} record.
 *
 * <pre>
 *  0         4         8         12        16        24        32
 *  +---------+---------+---------+---------+---------+---------+--------+-----+------------+
 *  | records | state   | readers | (pad)   |  kind   |  pid    | slot 0 | ... | slot n - 1 |
 *  +---------+---------+---------+---------+---------+---------+--------+-----+------------+
 *                                           the tag (Contract)
 *
 *  slot i, at 32 + 96 * i:
 *  +0        +8                                                              +96
 *  +---------+----------------------------------------------------------------+
 *  | sequence| MarketData (88 bytes, see MarketData)                          |
 *  +---------+----------------------------------------------------------------+
 *   long: odd while the writer writes the record (a SeqLock)
 * </pre>
 *
 * <p>Header ints, all 4-byte aligned and accessed with acquire/release or atomic add:
 * {@code records}, the number of slots; {@code state}, {@value #PREPARING} until the writer has
 * filled every slot, {@value #PUBLISHING} while it publishes, {@value #DONE} after its last tick;
 * {@code readers}, how many readers attached (the writer waits for one before publishing); each
 * reader adds 1 with an atomic add, so readers that attach at once are all counted. The
 * {@link Contract} tag says the table is this module's and which process writes it.
 *
 * <p>Every slot starts at a multiple of 8 (32 + 96 i), so the sequence word and the record's
 * doubles keep their natural alignment in every slot.
 */
public final class TickTable {
    public static final int RECORDS_OFFSET = 0;
    public static final int STATE_OFFSET = 4;
    public static final int READERS_OFFSET = 8;
    public static final int HEADER_SIZE = Contract.TAG_END;
    public static final int SEQUENCE_OFFSET = 0;
    public static final int RECORD_OFFSET = 8;
    public static final int SLOT_SIZE = RECORD_OFFSET + MarketData.SIZE;
    /** The most slots a table may have: enough for a demo, small enough to print. */
    public static final int MAX_RECORDS = 64;

    public static final int PREPARING = 0;
    public static final int PUBLISHING = 1;
    public static final int DONE = 2;

    private TickTable() {
    }

    /** The bytes a table of {@code records} slots needs. */
    public static int size(int records) {
        return HEADER_SIZE + records * SLOT_SIZE;
    }

    /** Where slot {@code index} starts. */
    public static int slotOffset(int index) {
        return HEADER_SIZE + index * SLOT_SIZE;
    }

    /**
     * The number of slots in the table's header, checked against the mapping: at least one, and
     * all of them inside it. Read it once the state is no longer {@value #PREPARING}.
     *
     * @throws Cli.Failure if the header does not describe this mapping
     */
    public static int records(SharedMemory shm) {
        int records = shm.getIntAcquire(RECORDS_OFFSET);
        if (records < 1 || records > MAX_RECORDS || size(records) > shm.size()) {
            throw new Cli.Failure("'" + shm.name() + "' is not a market-data table: its header says " + records
                    + " records, and it is " + shm.size() + " bytes");
        }
        return records;
    }

    /**
     * Whether the writer of a table still makes progress: watches the table's state and every
     * slot's sequence word (all slots, also when a reader prints one: the writer may be busy with
     * other records); any change pushes the deadline forward by the timeout.
     */
    static final class Progress {
        private final SharedMemory shm;
        private final long[] sequences;
        private final long timeoutNanos;
        private int state;
        private long deadline;

        Progress(SharedMemory shm, int records, Duration timeout) {
            this.shm = shm;
            this.sequences = new long[records];
            this.timeoutNanos = timeout.toNanos();
            changed();
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        /** False once nothing has changed for the timeout. */
        boolean made() {
            long now = System.nanoTime();
            if (changed()) {
                deadline = now + timeoutNanos;
            }
            return now - deadline <= 0;
        }

        /** Reads the words and reports whether any differs from the last look. */
        private boolean changed() {
            boolean changed = false;
            int now = shm.getIntAcquire(STATE_OFFSET);
            if (now != state) {
                state = now;
                changed = true;
            }
            for (int i = 0; i < sequences.length; i++) {
                long sequence = shm.getLongAcquire(slotOffset(i) + SEQUENCE_OFFSET);
                if (sequence != sequences[i]) {
                    sequences[i] = sequence;
                    changed = true;
                }
            }
            return changed;
        }
    }
}
