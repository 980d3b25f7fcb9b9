package dev.shmipc.common;

import com.sun.jna.Platform;

/** The operating systems this project supports, and the one it runs on. */
public enum OsFamily {
    LINUX,
    MACOS,
    WINDOWS,
    /** Anything else: named objects are not supported there, and every call says so. */
    UNSUPPORTED;

    private static final OsFamily CURRENT = detect();

    private static OsFamily detect() {
        if (!Platform.is64Bit()) {
            return UNSUPPORTED; // offsets and off_t sizes below assume a 64-bit process
        }
        if (Platform.isWindows()) {
            return WINDOWS;
        }
        if (Platform.isMac()) {
            return MACOS;
        }
        if (Platform.isLinux()) {
            return LINUX;
        }
        return UNSUPPORTED;
    }

    /** The OS of this JVM. */
    public static OsFamily current() {
        return CURRENT;
    }

    /** True on Linux and macOS, where named objects are POSIX objects. */
    public boolean isPosix() {
        return this == LINUX || this == MACOS;
    }

    static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("named shared memory is supported on 64-bit Linux, macOS and "
                + "Windows; this JVM runs on " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
}
