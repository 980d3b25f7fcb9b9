package dev.shmipc.structs;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;

/**
 * The shared record of the Delphi article (001), byte for byte:
 *
 * <pre>
 * type TMMFData = packed record     // 14 bytes: "packed" means no padding at all
 *   valwrd: WORD;                   // unsigned 16 bits
 *   valint: Integer;                // signed 32 bits
 *   valdbl: Double;                 // IEEE 754 binary64
 * end;
 *
 *  0        2                 6                                 14
 *  +--------+-----------------+---------------------------------+
 *  | valwrd |     valint      |             valdbl              |
 *  +--------+-----------------+---------------------------------+
 *   2 bytes      4 bytes          8 bytes, at an address that is
 *                                 NOT a multiple of 8 (or of 4)
 * </pre>
 *
 * <p>Every field is in the machine's native byte order (little-endian on x86 and ARM64).
 *
 * <p>Two ways to reach the record, side by side:
 * <ul>
 *   <li><b>this class, a flyweight</b>: a few bytes of state (a buffer and an offset) over the
 *       mapping; each getter is a plain {@code ByteBuffer} read of the shared bytes at
 *       {@code *_OFFSET}. Zero copy, no allocation per access, any field alone; but plain reads
 *       and writes give no ordering or visibility between processes (the JIT may keep or reorder
 *       them), so a field another process changes meanwhile needs a guard word read with acquire
 *       and written with release, or the sequence lock ({@link GuardedRecord}).</li>
 *   <li><b>{@link Struct}, a JNA {@code Structure}</b> with {@code ALIGN_NONE}: JNA computes the
 *       same offsets from the field declarations; {@link Struct#read()} copies all 14 bytes into
 *       Java fields, {@link Struct#write()} copies them back. A copy: handy for whole-record
 *       snapshots and for passing the record to native code; each read and write is one
 *       reflective pass over the fields.</li>
 * </ul>
 *
 * <p>Because {@code valdbl} is at offset 6, no atomic access is possible on it: {@code VarHandle}
 * acquire/release/CAS need natural alignment and throw on a misaligned offset, and the CPU itself
 * may split such an access. That is one reason a consistent snapshot needs a separate, aligned
 * sequence word ({@link GuardedRecord}).
 */
public final class DelphiRecord {
    public static final int VALWRD_OFFSET = 0;
    public static final int VALINT_OFFSET = 2;
    public static final int VALDBL_OFFSET = 6;
    /** {@code SizeOf(TMMFData)}. */
    public static final int SIZE = 14;

    private final ByteBuffer buffer;
    private final int base;

    /**
     * A flyweight over the record at {@code offset} of {@code buffer}, which must be in native
     * byte order (use {@link SharedMemory#buffer()}).
     */
    public DelphiRecord(ByteBuffer buffer, int offset) {
        this.buffer = Records.checked(buffer, offset, SIZE, "TMMFData");
        this.base = offset;
    }

    /** The record at the start of the mapping, as the article has it. */
    public static DelphiRecord at(SharedMemory shm) {
        return new DelphiRecord(shm.buffer(), 0);
    }

    public int valwrd() {
        return Short.toUnsignedInt(buffer.getShort(base + VALWRD_OFFSET));
    }

    public void valwrd(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("valwrd is a WORD, 0 to 65535, not " + value);
        }
        buffer.putShort(base + VALWRD_OFFSET, (short) value);
    }

    public int valint() {
        return buffer.getInt(base + VALINT_OFFSET);
    }

    public void valint(int value) {
        buffer.putInt(base + VALINT_OFFSET, value);
    }

    public double valdbl() {
        return buffer.getDouble(base + VALDBL_OFFSET);
    }

    public void valdbl(double value) {
        buffer.putDouble(base + VALDBL_OFFSET, value);
    }

    /**
     * The article's {@code SwapDouble}: the 8 bytes of a double in reverse order. Applied to a
     * double that was read with the wrong byte order, it gives back the right value; that is
     * all that goes wrong when a big-endian {@code ByteBuffer} reads little-endian memory.
     */
    public static double swapDouble(double value) {
        // Delphi overlays an Array[0..7] of Byte on the Double ("absolute") and reverses it;
        // Java reaches the same 8 bytes through the bit pattern.
        return Double.longBitsToDouble(Long.reverseBytes(Double.doubleToRawLongBits(value)));
    }

    @Override
    public String toString() {
        return "valwrd=" + valwrd() + " valint=" + valint() + " valdbl=" + valdbl();
    }

    /**
     * The same record as a JNA {@code Structure}. {@code ALIGN_NONE} is Delphi's {@code packed}
     * (and C's {@code #pragma pack(1)}); without it JNA would align {@code valint} to 4 and
     * {@code valdbl} to 8, a 16-byte record that no longer matches.
     */
    @FieldOrder({"valwrd", "valint", "valdbl"})
    public static final class Struct extends Structure {
        public short valwrd;
        public int valint;
        public double valdbl;

        private Struct(Pointer memory) {
            super(memory, ALIGN_NONE);
        }

        /**
         * A structure whose memory is the record at {@code offset} of the mapping; after a bounds
         * check, because JNA would read or write past the mapping's end without one (and SIGBUS
         * or SIGSEGV would end the JVM). Valid while {@code shm} is open.
         */
        public static Struct at(SharedMemory shm, int offset) {
            return new Struct(Records.pointer(shm, offset, SIZE, "TMMFData"));
        }
    }
}
