package dev.shmipc.openexisting;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The shared contract of the owner and the opener: the object's default name and the layout of
 * article 001's Delphi record, which is all the mapping holds.
 *
 * <pre>
 * TMMFData = packed record        offset  0   1   2   3   4   5   6   7   8   9  10  11  12  13
 *   valwrd: WORD;                        +-------+---------------+-------------------------------+
 *   valint: Integer;                     |valwrd |    valint     |            valdbl             |
 *   valdbl: Double;                      | u16   |     s32       |          IEEE 754 f64         |
 * end;                                   +-------+---------------+-------------------------------+
 *                                        SIZE = 14 bytes, no padding ("packed"), native byte order
 * </pre>
 *
 * <p>{@code packed} means no padding, so {@code valint} sits at offset 2 and {@code valdbl} at 6:
 * neither is naturally aligned. That rules out the atomic accesses of
 * {@link dev.shmipc.common.SharedMemory} (a {@code VarHandle}'s acquire, release and CAS modes
 * need natural alignment and refuse offset 2): these accessors use plain {@code ByteBuffer}
 * reads and writes. Plain is enough here because no two processes touch the record at the same
 * moment; module 05-struct-records shows what concurrent updates of such a record need.
 *
 * <p>The buffers passed in must be in native byte order, as {@code SharedMemory.buffer()} is: the
 * Delphi program stores the fields in the machine's order, while a fresh Java {@code ByteBuffer}
 * is big-endian.
 */
public final class Contract {
    /** The article's {@code MMF_NAME}; the examples' default, and what a Delphi peer opens. */
    public static final String DEFAULT_NAME = "MEMORY_MAPPED_FILE_NAME";

    /** {@code valwrd: WORD}, an unsigned 16-bit value. */
    public static final int VALWRD_OFFSET = 0;
    /** {@code valint: Integer}, a signed 32-bit value; the one the article's buttons show and set. */
    public static final int VALINT_OFFSET = VALWRD_OFFSET + Short.BYTES;
    /** {@code valdbl: Double}, a 64-bit IEEE 754 value. */
    public static final int VALDBL_OFFSET = VALINT_OFFSET + Integer.BYTES;
    /** {@code SizeOf(TMMFData)}: the size the owner creates. */
    public static final int SIZE = VALDBL_OFFSET + Double.BYTES;

    private Contract() {
    }

    /** The number of bytes an object needs to hold {@code valint}: up to its last byte. */
    public static int bytesNeededForValint() {
        return VALINT_OFFSET + Integer.BYTES;
    }

    /** Reads {@code valint}: {@code PMMFData(p)^.valint}. */
    public static int valint(ByteBuffer record) {
        return nativeOrder(record).getInt(VALINT_OFFSET);
    }

    /** Writes {@code valint}: {@code PMMFData(p)^.valint := value}. */
    public static void setValint(ByteBuffer record, int value) {
        nativeOrder(record).putInt(VALINT_OFFSET, value);
    }

    /**
     * True if every byte of {@code object} outside {@code valint} is zero. This module writes
     * nothing else: the owner creates the object zero-filled and openers set only {@code valint}.
     * A non-zero byte elsewhere ({@code valwrd}, {@code valdbl}, or past the record where the OS
     * rounds the object up to whole pages) was written by some other program.
     */
    public static boolean onlyValintWritten(ByteBuffer object) {
        for (int i = 0; i < object.limit(); i++) {
            boolean inValint = i >= VALINT_OFFSET && i < VALINT_OFFSET + Integer.BYTES;
            if (!inValint && object.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer nativeOrder(ByteBuffer record) {
        if (record.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("the record is in " + record.order()
                    + " byte order; shared memory holds native order (" + ByteOrder.nativeOrder() + ")");
        }
        return record;
    }
}
