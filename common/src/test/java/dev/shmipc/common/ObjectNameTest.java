package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectNameTest {

    @Test
    void portableNameMapsToEachOsForm() {
        assertEquals("/demo", ObjectName.of("demo", OsFamily.LINUX).nativeName());
        assertEquals("/demo", ObjectName.of("demo", OsFamily.MACOS).nativeName());
        assertEquals("Local\\demo", ObjectName.of("demo", OsFamily.WINDOWS).nativeName());
        assertEquals("/www.cpp-blog.com", ObjectName.of("www.cpp-blog.com", OsFamily.LINUX).nativeName());
        assertEquals("/test.shmem", ObjectName.of("test.shmem", OsFamily.MACOS).nativeName());
    }

    @Test
    void windowsNamespacesPassThroughOnWindowsOnly() {
        assertEquals("Global\\www.cpp-blog.com", ObjectName.of("Global\\www.cpp-blog.com", OsFamily.WINDOWS).nativeName());
        assertEquals("Local\\demo", ObjectName.of("Local\\demo", OsFamily.WINDOWS).nativeName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectName.of("Global\\demo", OsFamily.LINUX));
        assertEquals("invalid name 'Global\\demo': the Global\\ namespace exists only on Windows; use 'demo'",
                e.getMessage());
    }

    @Test
    void twentyNineCharactersIsTheLimitForEveryObjectEverywhere() {
        // macOS's sem_open takes '/' + 29 characters (31 bytes with the NUL); the rule is the same for all.
        assertEquals(29, ObjectName.MAX_LENGTH);
        String longest = "a".repeat(29);
        for (OsFamily os : new OsFamily[] {OsFamily.LINUX, OsFamily.MACOS, OsFamily.WINDOWS}) {
            assertEquals(longest, ObjectName.of(longest, os).name());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ObjectName.of(longest + "b", os));
            assertEquals("invalid name '" + longest + "b': 30 characters, at most 29"
                    + " (macOS's limit for semaphores, applied to every object everywhere)", e.getMessage());
        }
        assertEquals("/" + longest, ObjectName.of(longest, OsFamily.MACOS).nativeName());
        assertEquals(30, ObjectName.of(longest, OsFamily.MACOS).nativeName().length(), "31 bytes with the NUL");
    }

    @Test
    void leadingSlashIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectName.of("/test.shmem", OsFamily.LINUX));
        assertEquals("invalid name '/test.shmem': leave out the leading '/'; it is added on Linux and macOS",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a\\b", "..", ".hidden", "-x", "sp ace", "ümlaut", "semi;colon", "Global\\"})
    void invalidNamesAreRejectedBeforeAnyNativeCall(String name) {
        for (OsFamily os : new OsFamily[] {OsFamily.LINUX, OsFamily.WINDOWS}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectName.of(name, os));
            assertTrue(e.getMessage().startsWith("invalid name '" + name + "'"), e.getMessage());
        }
    }

    @Test
    void nullIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ObjectName.of(null, OsFamily.LINUX));
    }
}
