package dev.shmipc.common;

import java.util.Locale;
import java.util.Set;

/** The operating systems this project supports, and the one it runs on. */
public enum OsFamily {
    LINUX,
    MACOS,
    WINDOWS,
    /** Anything else: named objects are not supported there, and every call says so. */
    UNSUPPORTED;

    private static final OsFamily CURRENT = detect();

    /** The {@code os.arch} of 64-bit JVMs, for a JVM without {@code sun.arch.data.model}. */
    private static final Set<String> ARCH_64 = Set.of("amd64", "x86_64", "aarch64", "arm64", "ppc64",
            "ppc64le", "s390x", "riscv64", "loongarch64", "mips64", "mips64el", "sparcv9");

    private static OsFamily detect() {
        // From system properties, not from JNA, which the FFM binding must not load.
        if (!is64Bit()) {
            return UNSUPPORTED; // offsets and off_t sizes below assume a 64-bit process
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return WINDOWS;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return MACOS;
        }
        if (os.startsWith("linux")) {
            return LINUX;
        }
        return UNSUPPORTED;
    }

    private static boolean is64Bit() {
        String model = System.getProperty("sun.arch.data.model");
        if (model != null) {
            return model.equals("64");
        }
        return ARCH_64.contains(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
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
