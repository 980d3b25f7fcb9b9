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
    void thirtyCharactersIsTheLimitEverywhere() {
        String thirty = "a".repeat(30);
        assertEquals("/" + thirty, ObjectName.of(thirty, OsFamily.LINUX).nativeName());
        for (OsFamily os : new OsFamily[] {OsFamily.LINUX, OsFamily.MACOS, OsFamily.WINDOWS}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ObjectName.of(thirty + "b", os));
            assertTrue(e.getMessage().contains("31 characters, at most 30"), e.getMessage());
        }
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
