package dev.shmipc.structs;

/**
 * The object of the consistency demo: the packed {@link DelphiRecord}, with an aligned
 * sequence word in front of it so that a reader can tell a whole record from a torn one.
 *
 * <pre>
 *  0                   8         12        16                  32       34                 38                  46
 *  +-------------------+---------+---------+-------------------+--------+------------------+-------------------+
 *  | sequence          | stop    | (pad)   | tag: kind, pid    | valwrd | valint           | valdbl            |
 *  +-------------------+---------+---------+-------------------+--------+------------------+-------------------+
 *   long, 8-aligned:    int: the            Contract's tag      TMMFData, packed as in the article (14 bytes):
 *   odd while the       reader sets 1                           valdbl at 38 is not 8-aligned, so it cannot carry
 *   writer writes       when it is done                         the lock itself; the word at 0 can
 * </pre>
 *
 * <p>The record keeps its pure 14-byte layout (at offset 32), so the same {@link DelphiRecord}
 * flyweight reads it; only this demo adds the header. Each update n writes valwrd = n mod 65536,
 * valint = n, valdbl = n: a copy whose fields disagree mixes two updates, a torn read.
 */
public final class GuardedRecord {
    public static final int SEQUENCE_OFFSET = 0;
    public static final int STOP_OFFSET = 8;
    public static final int RECORD_OFFSET = Contract.TAG_END;
    public static final int SIZE = RECORD_OFFSET + DelphiRecord.SIZE;

    private GuardedRecord() {
    }

    /** Writes update {@code n} into the record: every field derived from {@code n}. */
    public static void put(DelphiRecord record, int n) {
        record.valwrd(n & 0xFFFF);
        record.valint(n);
        record.valdbl(n);
    }

    /** A copy of the record's fields, in the order they were read. */
    public record Copy(int valwrd, int valint, double valdbl) {
        /** True if all three fields come from the same update. */
        public boolean consistent() {
            return valwrd == (valint & 0xFFFF) && valdbl == valint;
        }
    }

    /** Reads the three fields with plain reads, as the Delphi program would. */
    public static Copy copy(DelphiRecord record) {
        return new Copy(record.valwrd(), record.valint(), record.valdbl());
    }
}
