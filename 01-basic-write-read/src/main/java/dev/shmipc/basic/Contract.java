package dev.shmipc.basic;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the writer and the reader agree on: names, sizes and the two layouts.
 *
 * <p><b>Frames</b> (article 000, {@code CSharedMemory}): a 100-byte area. In round {@code r} the
 * writer fills it with {@code data[i] = i + r} (as a {@code BYTE}, so values wrap at 256):
 * <pre>
 *   offset  0    1    2        99
 *         +----+----+----+ .. +------+
 *         | r  | r+1| r+2|    | r+99 |      one frame, round r
 *         +----+----+----+ .. +------+
 * </pre>
 * A frame whose bytes do not follow {@code i + r} for one {@code r} mixes two rounds: the reader
 * copied it while the writer was rewriting it (a torn read). All zeros is "nothing written yet".
 * Values wrap modulo 256, so round 256 writes the same frame as round 0, and a reader tells rounds
 * apart only modulo 256.
 *
 * <p><b>Message</b> (article 004, part 1): a 2048-byte area ({@code BUF_SIZE}, room for 1024
 * {@code wchar_t}) holding a NUL-terminated UTF-16 string, the form of a Windows
 * {@code wchar_t} string, in little-endian order as on every Windows machine:
 * <pre>
 *   offset  0      2      4            2n     2n+2          2047
 *         +------+------+---- .. ----+------+------+-- .. --+
 *         | 'w'  | 'e'  |            | 0x00 | 0 ...         |
 *         +------+------+---- .. ----+------+------+-- .. --+
 * </pre>
 * The writer copies the characters without the terminator, as the article's
 * {@code CopyMemory(pBuf, data, wcslen(data) * sizeof(wchar_t))} does; the terminator is there
 * because a new mapping is zero-filled.
 */
final class Contract {
    private Contract() {
    }

    /** Article 000's mapping name, {@code SHARED_MEMORY_NAME}. */
    static final String FRAMES_NAME = "SHARED_MEMORY_NAME";
    /** Article 000's size: {@code CSharedMemory(100)}. */
    static final int FRAME_SIZE = 100;

    /** Article 004's name, without its {@code Global\} prefix (that needs a privilege; see README). */
    static final String MESSAGE_NAME = "www.cpp-blog.com";
    /** Article 004's {@code BUF_SIZE}. */
    static final int MESSAGE_SIZE = 2048;
    /** The text article 004's first process writes. */
    static final String MESSAGE = "welcome to IPC introduction from www.cpp-blog.com";
    /** A Windows {@code wchar_t}: one UTF-16 code unit, little-endian. */
    static final Charset WCHAR = StandardCharsets.UTF_16LE;

    /** The largest frame: every round prints every byte of it. */
    static final int MAX_FRAME_SIZE = 4096;
    /** The largest message mapping (a sanity bound for --size, not an OS limit). */
    static final int MAX_SIZE = 1 << 30;

    /** The two areas a writer makes, one per mode: article 000's frames and article 004's message. */
    enum Area {
        FRAMES, MESSAGE;

        /** The writer's mode that makes it: {@code frames} or {@code message}. */
        String mode() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The article's size, which a writer makes unless told {@code --size}. */
        int defaultSize() {
            return this == FRAMES ? FRAME_SIZE : MESSAGE_SIZE;
        }

        /**
         * Why {@code area} cannot be what a writer of this area left, or null if it can: see
         * {@link #notAFramesArea} and {@link #notAMessageArea}.
         */
        String notLeftByItsWriter(byte[] area) {
            return this == FRAMES ? notAFramesArea(area) : notAMessageArea(area);
        }
    }

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** The frame of round {@code round}: {@code data[i] = i + round}, as a byte. */
    static byte[] frame(int round, int size) {
        byte[] frame = new byte[size];
        for (int i = 0; i < size; i++) {
            frame[i] = (byte) (i + round);
        }
        return frame;
    }

    /** Bytes as the programs print them: two hex digits each, separated by spaces. */
    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** What a frame the reader copied turns out to be. */
    enum Kind {
        /** All zeros: the writer has not written yet. */
        EMPTY,
        /** One round's frame, intact. */
        WHOLE,
        /** Bytes of two or more rounds: copied while the writer was rewriting it. */
        TORN
    }

    static Kind classify(byte[] frame) {
        boolean allZero = true;
        for (byte b : frame) {
            allZero &= b == 0;
        }
        if (allZero) {
            return Kind.EMPTY;
        }
        return roundsIn(frame).size() == 1 ? Kind.WHOLE : Kind.TORN;
    }

    /**
     * The rounds (mod 256) whose bytes a frame holds, in the order they appear: one for a whole
     * frame, two or more for a torn one.
     */
    static Set<Integer> roundsIn(byte[] frame) {
        Set<Integer> rounds = new LinkedHashSet<>();
        for (int i = 0; i < frame.length; i++) {
            rounds.add((frame[i] - i) & 0xFF);
        }
        return rounds;
    }

    /**
     * How the reader labels a frame it printed; rounds are told apart modulo 256. A copy that
     * tears mixes two rounds, seldom three; bytes of more rounds than that are more likely not a
     * frame at all (another program's data under the name), and the label says both.
     */
    static String describe(byte[] frame) {
        switch (classify(frame)) {
            case EMPTY:
                return "nothing written yet";
            case WHOLE:
                return "round " + roundsIn(frame).iterator().next();
            default:
                Set<Integer> rounds = roundsIn(frame);
                if (rounds.size() > MAX_ROUNDS_NAMED) {
                    return "TORN, or not a frame at all: bytes of " + rounds.size() + " different rounds";
                }
                return "TORN: mixes rounds " + rounds.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(" and "));
        }
    }

    /** The most rounds a label names one by one. */
    private static final int MAX_ROUNDS_NAMED = 3;

    /**
     * Why {@code area} cannot be what a frames writer left, or null if it can: all zeros (killed
     * before its first round), one round, or two consecutive rounds (killed while it rewrote the
     * area). A zero byte fits anywhere: round {@code r} writes one itself where {@code i + r} is
     * 256, and a new object is all zeros.
     */
    static String notAFramesArea(byte[] area) {
        Set<Integer> rounds = new LinkedHashSet<>();
        for (int i = 0; i < area.length; i++) {
            if (area[i] != 0) {
                rounds.add((area[i] - i) & 0xFF);
            }
        }
        if (rounds.size() <= 1) {
            return null;
        }
        var it = rounds.iterator();
        int a = it.next();
        int b = it.next();
        if (rounds.size() == 2 && (((a - b) & 0xFF) == 1 || ((b - a) & 0xFF) == 1)) {
            return null;
        }
        return "its bytes are not a frame (data[i] = i + round): they follow " + rounds.size() + " rounds";
    }

    /**
     * Why {@code area} cannot be what a message writer left, or null if it can: UTF-16LE code
     * units up to the first NUL unit (none, part of a text or all of it), then only zeros, since
     * the writer copies the text to the start of a zero-filled object and nothing else.
     */
    static String notAMessageArea(byte[] area) {
        int end = 0;
        while (end + 1 < area.length && (area[end] != 0 || area[end + 1] != 0)) {
            end += 2;
        }
        if (end + 1 >= area.length) {
            return "it holds no NUL-terminated UTF-16 text: no NUL code unit in " + area.length + " bytes";
        }
        for (int i = end; i < area.length; i++) {
            if (area[i] != 0) {
                return "it is not a UTF-16 text followed only by zeros: byte " + i + " after the text's end"
                        + " (byte " + end + ") is not 0";
            }
        }
        return null;
    }

    /**
     * The text as the writer copies it: UTF-16LE code units, no terminator.
     *
     * @throws IllegalArgumentException if it does not fit with its terminator in {@code size} bytes
     */
    static byte[] encode(String text, int size) {
        byte[] units = text.getBytes(WCHAR);
        if (units.length + 2 > size) {
            throw new IllegalArgumentException("the text needs " + (units.length + 2)
                    + " bytes with its terminator; the mapping has " + size);
        }
        return units;
    }

    /**
     * The string at the start of {@code memory}: UTF-16LE code units up to the first NUL unit,
     * or to the end of the mapping if there is none. The article's {@code wprintf("%s", pBuf)}
     * would read on past the end; a reader must not trust the writer to terminate.
     */
    static String decode(ByteBuffer memory) {
        int end = 0;
        int limit = memory.limit() - memory.limit() % 2;
        while (end < limit && memory.getShort(end) != 0) {
            end += 2;
        }
        byte[] units = new byte[end];
        memory.get(0, units);
        return new String(units, WCHAR);
    }
}
