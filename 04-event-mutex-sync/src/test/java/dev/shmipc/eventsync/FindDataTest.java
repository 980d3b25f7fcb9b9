package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.OsFamily;
import dev.shmipc.common.program.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The WIN32_FIND_DATAW record, byte for byte, and what the walk puts in it. */
class FindDataTest {
    @Test
    void theLayoutIsWindowsOwn() {
        // sizeof(WIN32_FIND_DATAW) and its field offsets, as <minwinbase.h> lays them out.
        // cAlternateFileName[14] follows cFileName[260] and ends the record.
        assertEquals(592, FindData.SIZE);
        assertEquals(44, FindData.FILE_NAME_OFFSET);
        assertEquals(FindData.FILE_NAME_OFFSET + 2 * FindData.FILE_NAME_UNITS + 2 * 14, FindData.SIZE);

        FindData record = new FindData(0x21, 0x0102030405060708L, 0x1112131415161718L, 0x2122232425262728L,
                0x0000000A_0000000BL, 7, "Ab", false);
        ByteBuffer bytes = ByteBuffer.wrap(record.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(592, bytes.capacity());
        assertEquals(0x21, bytes.getInt(0));
        assertEquals(0x05060708, bytes.getInt(4), "FILETIME.dwLowDateTime first");
        assertEquals(0x01020304, bytes.getInt(8), "then dwHighDateTime");
        assertEquals(0x15161718, bytes.getInt(12));
        assertEquals(0x25262728, bytes.getInt(20));
        assertEquals(0x0A, bytes.getInt(28), "nFileSizeHigh");
        assertEquals(0x0B, bytes.getInt(32), "nFileSizeLow");
        assertEquals(7, bytes.getInt(36), "dwReserved0: the sequence number");
        assertEquals(0, bytes.getInt(40), "dwReserved1: not shortened");
        assertEquals('A', bytes.getChar(44));
        assertEquals('b', bytes.getChar(46));
        assertEquals(0, bytes.getChar(48), "NUL-terminated");
        for (int i = 48; i < 592; i++) {
            assertEquals(0, bytes.get(i), "byte " + i);
        }
        assertEquals(record, FindData.fromBytes(record.toBytes()));
    }

    @Test
    void theEndRecordIsAllZero() {
        assertArrayEquals(new byte[592], FindData.END.toBytes());
        assertTrue(FindData.fromBytes(new byte[592]).isEnd());
        assertThrows(IllegalArgumentException.class, () -> FindData.fromBytes(new byte[591]));
    }

    @Test
    void nonAsciiNamesCrossAsUtf16() {
        String name = "grüße-日本語-😀.txt";
        FindData record = new FindData(FindData.FILE_ATTRIBUTE_NORMAL, 0, 0, 0, 0, 1, name, false);
        byte[] bytes = record.toBytes();
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        for (int i = 0; i < utf16.length; i++) {
            assertEquals(utf16[i], bytes[44 + i]);
        }
        assertEquals(name, FindData.fromBytes(bytes).fileName());
    }

    @Test
    void aNameLongerThan259CharactersIsShortenedAndFlagged(@TempDir Path dir) throws Exception {
        // No file system here allows such a name (255 is the usual limit); the record still
        // must not overflow or crash if one ever comes.
        String longName = "x".repeat(300);
        assertEquals(259, FindData.fit(longName).length());
        assertEquals("short", FindData.fit("short"));
        String pairAtTheEdge = "y".repeat(258) + "😀" + "z";
        assertEquals("y".repeat(258), FindData.fit(pairAtTheEdge), "a surrogate pair is never split");

        Path file = Files.createFile(dir.resolve("a.txt"));
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        FindData record = new FindData(0, 0, 0, 0, 0, 3, longName, true);
        FindData back = FindData.fromBytes(record.toBytes());
        assertEquals("x".repeat(259), back.fileName());
        assertTrue(back.nameShortened());
        assertEquals(0, record.toBytes()[44 + 2 * 259], "still NUL-terminated");
        assertFalse(FindData.of(file, attributes, 1).nameShortened());
    }

    @Test
    void fileTimesCountHundredsOfNanosecondsSince1601() {
        assertEquals(116_444_736_000_000_000L, FindData.fileTime(FileTime.from(Instant.EPOCH)));
        // 2012-05-01T12:34:56Z is 1,335,875,696 s after 1970, and the 100 ns ticks keep 0.7890123 s.
        assertEquals((1_335_875_696L + 11_644_473_600L) * 10_000_000L + 7_890_123L,
                FindData.fileTime(FileTime.from(Instant.parse("2012-05-01T12:34:56.789012300Z"))));
        assertEquals(0, FindData.fileTime(FileTime.from(Instant.parse("1600-01-01T00:00:00Z"))));
    }

    @Test
    void theWalkFillsTheRecordFromTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve(".hidden-ü"), new byte[1234]);
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        FindData record = FindData.of(file, attributes, 42);
        assertEquals(".hidden-ü", record.fileName());
        assertEquals(1234, record.size());
        assertEquals(42, record.sequence());
        assertEquals(FindData.fileTime(attributes.lastModifiedTime()), record.lastWriteTime());
        Path plain = Files.createFile(dir.resolve("plain"));
        int plainAttributes = FindData.of(plain, Files.readAttributes(plain, BasicFileAttributes.class), 1).attributes();
        if (OsFamily.current() == OsFamily.WINDOWS) {
            // A new file carries FILE_ATTRIBUTE_ARCHIVE; hidden is a DOS bit, not a dot.
            assertEquals(FindData.FILE_ATTRIBUTE_ARCHIVE, plainAttributes & FindData.FILE_ATTRIBUTE_ARCHIVE);
        } else {
            assertEquals(FindData.FILE_ATTRIBUTE_HIDDEN, record.attributes() & FindData.FILE_ATTRIBUTE_HIDDEN);
            assertEquals(FindData.FILE_ATTRIBUTE_NORMAL, plainAttributes);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aReadOnlyFileFoundByTheWalkIsSentReadOnly(@TempDir Path dir) throws Exception {
        // The walk hands its visitor basic attributes only; the permissions are read again.
        Path file = Files.createFile(dir.resolve("read-only"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        List<FindData> found = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) {
                found.add(FindData.of(path, attributes, found.size() + 1));
                return FileVisitResult.CONTINUE;
            }
        });
        assertEquals(1, found.size());
        assertEquals(FindData.FILE_ATTRIBUTE_READONLY, found.get(0).attributes());
    }

    @Test
    void anUnreadableEntryIsReportedAndTheWalkGoesOn() {
        // Root reads every directory, so the tests cannot always make one it cannot read; the
        // visitor's answer is checked directly, in a program of the server's role.
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Walker walker = new Walker(record -> { });
        Path locked = Path.of("tree", "locked");
        int exit;
        try {
            exit = Cli.run(Server.ROLE, Server.USAGE, Set.of(), Set.of(), new String[0], args -> {
                assertEquals(FileVisitResult.CONTINUE,
                        walker.visitFileFailed(locked, new AccessDeniedException(locked.toString())));
                assertEquals(FileVisitResult.CONTINUE, walker.postVisitDirectory(locked, null));
                return Cli.EXIT_OK;
            });
        } finally {
            System.setOut(original);
        }
        assertEquals(Cli.EXIT_OK, exit);
        assertEquals(1, walker.skipped());
        assertEquals("[server] cannot read " + locked + " (permission denied), skipped",
                out.toString(StandardCharsets.UTF_8).trim());
    }
}
