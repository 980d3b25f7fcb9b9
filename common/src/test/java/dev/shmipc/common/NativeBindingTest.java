package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Which binding a JVM gets, and that this test JVM has the one it should. */
class NativeBindingTest {
    @Test
    void thisJvmHasFfmOnJava22AndLaterUnlessJnaIsForced() {
        String requested = System.getProperty(NativeBinding.PROPERTY);
        NativeBinding expected = "jna".equals(requested) || Runtime.version().feature() < NativeBinding.FFM_JAVA
                ? NativeBinding.JNA : NativeBinding.FFM;
        System.out.println("native binding: " + NativeBinding.current() + " on Java " + Runtime.version()
                + (requested == null ? "" : ", -D" + NativeBinding.PROPERTY + "=" + requested));
        assertEquals(expected, NativeBinding.current());
        if (OsFamily.current().isPosix()) {
            String prefix = expected == NativeBinding.FFM ? "Ffm" : "Jna";
            assertEquals(prefix + "PosixCalls", NativeBinding.posix().getClass().getSimpleName());
        }
    }

    @Test
    void unsetOrEmptyPicksFfmWhereItIsThere() {
        assertEquals(NativeBinding.JNA, NativeBinding.choose(null, 17, false));
        assertEquals(NativeBinding.JNA, NativeBinding.choose(null, 21, true));
        assertEquals(NativeBinding.JNA, NativeBinding.choose("", 25, false)); // built with JDK 17
        assertEquals(NativeBinding.FFM, NativeBinding.choose(null, 22, true));
        assertEquals(NativeBinding.FFM, NativeBinding.choose("", 25, true));
    }

    @Test
    void jnaCanBeForcedEverywhere() {
        assertEquals(NativeBinding.JNA, NativeBinding.choose("jna", 17, false));
        assertEquals(NativeBinding.JNA, NativeBinding.choose("jna", 25, true));
    }

    @Test
    void ffmWhereThereIsNoneIsOneClearError() {
        assertEquals(NativeBinding.FFM, NativeBinding.choose("ffm", 25, true));
        assertEquals("-Dshmipc.native=ffm: the FFM binding needs Java 22 or later; this is Java 17",
                assertThrows(UnsupportedOperationException.class,
                        () -> NativeBinding.choose("ffm", 17, false)).getMessage());
        assertEquals("-Dshmipc.native=ffm: this build of common has no FFM classes (it was built with a JDK"
                + " before 22)", assertThrows(UnsupportedOperationException.class,
                        () -> NativeBinding.choose("ffm", 25, false)).getMessage());
    }

    @Test
    void anUnknownValueIsRefused() {
        assertEquals("invalid -Dshmipc.native=FFM: use jna or ffm, or leave it unset",
                assertThrows(IllegalArgumentException.class, () -> NativeBinding.choose("FFM", 25, true)).getMessage());
    }
}
