package dev.shmipc.structs;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** What the record classes share: bounds and byte-order checks, and C strings. */
final class Records {
    private Records() {
    }

    /** Checks that {@code length} bytes at {@code offset} fit and that the order is native. */
    static ByteBuffer checked(ByteBuffer buffer, int offset, int length, String what) {
        if (buffer.order() != ByteOrder.nativeOrder()) {
            // The bug this module shows: a new or duplicated ByteBuffer is big-endian, shared memory is not.
            throw new IllegalArgumentException("a " + what + " view needs a buffer in native byte order ("
                    + ByteOrder.nativeOrder() + "), not " + buffer.order() + ": use SharedMemory.buffer()");
        }
        inBounds(offset, length, buffer.capacity(), what);
        return buffer;
    }

    /**
     * Why the {@code *_OFFSET} constants of {@code what} are not this platform's C layout, or
     * null when they are. The constants are the layout of 64-bit ABIs; JNA computes the
     * platform's own from the {@code Structure}'s fields (on 32-bit x86 Linux, for one, a
     * {@code double} in a struct is aligned to 4, not 8), so JNA is the judge.
     *
     * @param jnaOffset JNA's offset of a field, by name
     * @param offsets   the constants, by field name, in field order
     */
    static String layoutMismatch(String what, int jnaSize, ToIntFunction<String> jnaOffset, int size,
            Map<String, Integer> offsets) {
        List<String> differences = new ArrayList<>();
        offsets.forEach((field, offset) -> {
            int jna = jnaOffset.applyAsInt(field);
            if (jna != offset) {
                differences.add(field + " at " + jna + ", not " + offset);
            }
        });
        if (jnaSize != size) {
            differences.add("sizeof " + jnaSize + ", not " + size);
        }
        return differences.isEmpty() ? null : "the " + what + " offsets here are a 64-bit C ABI's, but on this"
                + " platform (" + Platform.ARCH + ", " + Native.POINTER_SIZE * 8 + "-bit) C puts "
                + String.join(", ", differences) + "; run a 64-bit JVM";
    }

    /**
     * The address of {@code length} bytes at {@code offset} of the mapping, for a JNA
     * {@code Structure}: checked first, because JNA does not know where the mapping ends.
     */
    static Pointer pointer(SharedMemory shm, int offset, int length, String what) {
        inBounds(offset, length, shm.size(), what);
        return Native.getDirectBufferPointer(shm.buffer()).share(offset);
    }

    private static void inBounds(int offset, int length, int capacity, String what) {
        if (offset < 0 || offset > capacity - length) {
            throw new IndexOutOfBoundsException("a " + what + " of " + length + " bytes at offset " + offset
                    + " does not fit in " + capacity + " bytes");
        }
    }

    /** The text of a C {@code char[length]} holding ASCII: up to the first NUL, or all of it. */
    static String getCString(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    /** {@code text} as a C {@code char[length]}: ASCII, NUL-terminated, the rest zero. */
    static byte[] cChars(String text, int length, String field) {
        if (text.length() > length - 1 || !StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            throw new IllegalArgumentException(field + " takes at most " + (length - 1)
                    + " ASCII characters, not '" + text + "'");
        }
        byte[] bytes = new byte[length];
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, bytes, 0, ascii.length);
        return bytes;
    }
}
