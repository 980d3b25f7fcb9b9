package dev.shmipc.eventsync;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;

/**
 * One {@code WIN32_FIND_DATAW} record, and its exact {@value #SIZE} bytes: the one record the
 * buffer holds (see {@link Contract} for the mapping around it). The layout is Windows' own, so
 * that the article's C++ client and server could read it:
 *
 * <pre>
 *   WIN32_FIND_DATAW, little-endian, packed as Windows lays it out (4-byte alignment)
 *   offset  size  field                   constant
 *        0     4  dwFileAttributes        ATTRIBUTES_OFFSET        FILE_ATTRIBUTE_* bits
 *        4     8  ftCreationTime          CREATION_TIME_OFFSET     FILETIME: low DWORD, high DWORD; 100 ns
 *                                                                  ticks since 1601-01-01 UTC
 *       12     8  ftLastAccessTime        LAST_ACCESS_TIME_OFFSET  FILETIME
 *       20     8  ftLastWriteTime         LAST_WRITE_TIME_OFFSET   FILETIME
 *       28     4  nFileSizeHigh           SIZE_HIGH_OFFSET
 *       32     4  nFileSizeLow            SIZE_LOW_OFFSET
 *       36     4  dwReserved0             SEQUENCE_OFFSET          here: the record's sequence number, 1, 2,
 *                                                                  3 ... (0 in the end record)
 *       40     4  dwReserved1             FLAGS_OFFSET             here: FLAG_NAME_SHORTENED or 0
 *       44   520  cFileName[260]          FILE_NAME_OFFSET         UTF-16LE, NUL-terminated: at most 259
 *                                                                  characters (FILE_NAME_UNITS - 1)
 *      564    28  cAlternateFileName[14]                           UTF-16LE 8.3 name; always empty here
 *      592        (sizeof)                SIZE
 * </pre>
 *
 * <p>A record whose cFileName is empty (all zero here) ends the stream.
 *
 * @param attributes       {@code dwFileAttributes}
 * @param creationTime     {@code ftCreationTime}
 * @param lastAccessTime   {@code ftLastAccessTime}
 * @param lastWriteTime    {@code ftLastWriteTime}
 * @param size             {@code nFileSizeHigh:nFileSizeLow}
 * @param sequence         {@code dwReserved0}: the record's number, an unsigned DWORD
 * @param fileName         {@code cFileName}, at most 259 characters
 * @param nameShortened    {@code dwReserved1} bit 0: the name was longer and was shortened
 */
public record FindData(int attributes, long creationTime, long lastAccessTime, long lastWriteTime, long size,
        int sequence, String fileName, boolean nameShortened) {

    public static final int ATTRIBUTES_OFFSET = 0;
    public static final int CREATION_TIME_OFFSET = 4;
    public static final int LAST_ACCESS_TIME_OFFSET = 12;
    public static final int LAST_WRITE_TIME_OFFSET = 20;
    public static final int SIZE_HIGH_OFFSET = 28;
    public static final int SIZE_LOW_OFFSET = 32;
    public static final int SEQUENCE_OFFSET = 36; // dwReserved0
    public static final int FLAGS_OFFSET = 40; // dwReserved1
    public static final int FILE_NAME_OFFSET = 44;
    /** {@code sizeof(WIN32_FIND_DATAW)}. */
    public static final int SIZE = 592;

    /** {@code MAX_PATH}: cFileName's length in UTF-16 units, NUL included. */
    public static final int FILE_NAME_UNITS = 260;
    /** dwReserved1 bit: the name was longer than 259 characters and was shortened. */
    public static final int FLAG_NAME_SHORTENED = 1;

    public static final int FILE_ATTRIBUTE_READONLY = 0x01;
    public static final int FILE_ATTRIBUTE_HIDDEN = 0x02;
    public static final int FILE_ATTRIBUTE_SYSTEM = 0x04;
    public static final int FILE_ATTRIBUTE_DIRECTORY = 0x10;
    public static final int FILE_ATTRIBUTE_ARCHIVE = 0x20;
    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;

    /** The longest name cFileName holds: 260 UTF-16 units less the terminating NUL. */
    public static final int MAX_NAME_LENGTH = FILE_NAME_UNITS - 1;

    /** Seconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01 (Java's). */
    private static final long FILETIME_EPOCH_SECONDS = 11_644_473_600L;
    private static final long TICKS_PER_SECOND = 10_000_000L;

    /** The end of the stream: all zero, as the article's {@code ZeroMemory(&empty_wfd, ...)}. */
    public static final FindData END = new FindData(0, 0, 0, 0, 0, 0, "", false);

    /** True for the record that ends the stream: its name is empty. */
    public boolean isEnd() {
        return fileName.isEmpty();
    }

    /**
     * The record {@code FindNextFile} would give for {@code file}, numbered {@code sequence}.
     * A name longer than {@value #MAX_NAME_LENGTH} characters is shortened (never in the middle
     * of a surrogate pair) and flagged.
     */
    public static FindData of(Path file, BasicFileAttributes attributes, int sequence) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String fitted = fit(name);
        return new FindData(attributesOf(name, withPermissions(file, attributes)), fileTime(attributes.creationTime()),
                fileTime(attributes.lastAccessTime()), fileTime(attributes.lastModifiedTime()),
                attributes.size(), sequence, fitted, fitted.length() < name.length());
    }

    /** The name cut to {@value #MAX_NAME_LENGTH} UTF-16 units, or as it is if it fits. */
    static String fit(String name) {
        if (name.length() <= MAX_NAME_LENGTH) {
            return name;
        }
        int end = MAX_NAME_LENGTH;
        if (Character.isHighSurrogate(name.charAt(end - 1))) {
            end--; // keep the pair whole: drop both halves
        }
        return name.substring(0, end);
    }

    /**
     * The attributes with the permissions, where the OS has them. On Linux and macOS a walk hands
     * its visitor basic attributes only (the JDK hides the POSIX ones it read), so they are read
     * again, without following a link, as the walk does not follow them either.
     */
    private static BasicFileAttributes withPermissions(Path file, BasicFileAttributes attributes) {
        if (attributes instanceof DosFileAttributes || attributes instanceof PosixFileAttributes) {
            return attributes;
        }
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return attributes; // gone meanwhile, or no POSIX view: send what the walk saw
        }
    }

    /** {@code dwFileAttributes} from what the walk knows: DOS bits on Windows, permissions on POSIX. */
    static int attributesOf(String name, BasicFileAttributes attributes) {
        int bits = 0;
        if (attributes.isDirectory()) {
            bits |= FILE_ATTRIBUTE_DIRECTORY;
        }
        if (attributes instanceof DosFileAttributes) {
            DosFileAttributes dos = (DosFileAttributes) attributes;
            bits |= (dos.isReadOnly() ? FILE_ATTRIBUTE_READONLY : 0) | (dos.isHidden() ? FILE_ATTRIBUTE_HIDDEN : 0)
                    | (dos.isSystem() ? FILE_ATTRIBUTE_SYSTEM : 0) | (dos.isArchive() ? FILE_ATTRIBUTE_ARCHIVE : 0);
        } else {
            if (attributes instanceof PosixFileAttributes
                    && !((PosixFileAttributes) attributes).permissions().contains(PosixFilePermission.OWNER_WRITE)) {
                bits |= FILE_ATTRIBUTE_READONLY;
            }
            if (name.startsWith(".")) {
                bits |= FILE_ATTRIBUTE_HIDDEN; // the Unix convention for a hidden file
            }
        }
        return bits == 0 ? FILE_ATTRIBUTE_NORMAL : bits;
    }

    /** A FILETIME: 100 ns ticks since 1601-01-01 UTC; 0 for anything before. */
    static long fileTime(FileTime time) {
        Instant instant = time.toInstant();
        long seconds = instant.getEpochSecond() + FILETIME_EPOCH_SECONDS;
        if (seconds < 0) {
            return 0;
        }
        if (seconds > Long.MAX_VALUE / TICKS_PER_SECOND - 1) {
            return Long.MAX_VALUE;
        }
        return seconds * TICKS_PER_SECOND + instant.getNano() / 100;
    }

    /** The record's {@value #SIZE} bytes, ready for one copy into the buffer. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(ATTRIBUTES_OFFSET, attributes);
        out.putLong(CREATION_TIME_OFFSET, creationTime); // little-endian: low DWORD first, as FILETIME
        out.putLong(LAST_ACCESS_TIME_OFFSET, lastAccessTime);
        out.putLong(LAST_WRITE_TIME_OFFSET, lastWriteTime);
        out.putInt(SIZE_HIGH_OFFSET, (int) (size >>> 32));
        out.putInt(SIZE_LOW_OFFSET, (int) size);
        out.putInt(SEQUENCE_OFFSET, sequence);
        out.putInt(FLAGS_OFFSET, nameShortened ? FLAG_NAME_SHORTENED : 0);
        String name = fit(fileName);
        out.put(FILE_NAME_OFFSET, name.getBytes(StandardCharsets.UTF_16LE)); // the NUL and the rest stay 0
        // cAlternateFileName: no 8.3 names here, all zero.
        return out.array();
    }

    /** Reads a record from its bytes; the name ends at the first NUL. */
    public static FindData fromBytes(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("a WIN32_FIND_DATAW is " + SIZE + " bytes, not " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int units = 0;
        while (units < FILE_NAME_UNITS && in.getChar(FILE_NAME_OFFSET + 2 * units) != 0) {
            units++;
        }
        String name = new String(bytes, FILE_NAME_OFFSET, 2 * units, StandardCharsets.UTF_16LE);
        long size = Integer.toUnsignedLong(in.getInt(SIZE_HIGH_OFFSET)) << 32 | Integer.toUnsignedLong(in.getInt(SIZE_LOW_OFFSET));
        return new FindData(in.getInt(ATTRIBUTES_OFFSET), in.getLong(CREATION_TIME_OFFSET),
                in.getLong(LAST_ACCESS_TIME_OFFSET), in.getLong(LAST_WRITE_TIME_OFFSET), size,
                in.getInt(SEQUENCE_OFFSET), name, (in.getInt(FLAGS_OFFSET) & FLAG_NAME_SHORTENED) != 0);
    }
}
