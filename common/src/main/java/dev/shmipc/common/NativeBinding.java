package dev.shmipc.common;

import java.lang.reflect.InvocationTargetException;

/**
 * How this layer calls the OS: through JNA, or through the Foreign Function and Memory API
 * ({@code java.lang.foreign}) of Java 22 and later. The same calls either way, with the same
 * results and errors; only the binding differs.
 *
 * <p>{@code common}'s jar is a multi-release jar: the FFM classes sit under
 * {@code META-INF/versions/22}, and a Java 22+ JVM finds them there. Java 17 to 21 uses JNA.
 * On Java 22+ the FFM binding is used, and JNA is never loaded (a program runs with JNA absent
 * from its class path), unless the system property {@value #PROPERTY} says otherwise:
 * <ul>
 *   <li>{@code -Dshmipc.native=jna}: JNA on every Java version, for comparison or as a fallback;</li>
 *   <li>{@code -Dshmipc.native=ffm}: FFM, and an error on Java before 22 or in a build without
 *       the FFM classes (one made with JDK 17 to 21);</li>
 *   <li>unset or empty: FFM where it is there, else JNA.</li>
 * </ul>
 * The choice is made once per JVM, at the first native call. The FFM binding is a restricted
 * part of the JDK: run with {@code --enable-native-access=ALL-UNNAMED} (as JNA needs on Java 24
 * and later too), or the JVM prints a warning.
 */
public enum NativeBinding {
    /** JNA and jna-platform. */
    JNA,
    /** {@code java.lang.foreign}: Java 22 and later. */
    FFM;

    /** The system property that forces a binding: {@code jna} or {@code ffm}. */
    public static final String PROPERTY = "shmipc.native";

    /** The first Java version whose FFM API is final (JEP 454). */
    public static final int FFM_JAVA = 22;

    private static final String FFM_POSIX = "dev.shmipc.common.FfmPosixCalls";
    private static final String FFM_WIN32 = "dev.shmipc.common.FfmWin32Calls";
    private static final String JNA_POSIX = "dev.shmipc.common.JnaPosixCalls";
    private static final String JNA_WIN32 = "dev.shmipc.common.JnaWin32Calls";

    private static volatile NativeBinding current;
    // Guarded by NativeBinding.class. Asked for per create, open, close or unlink, and kept by
    // each semaphore and Windows handle: never per data access, nor per set, wait or lock.
    private static PosixCalls posix;
    private static Win32Calls win32;

    /**
     * The binding of this JVM.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is neither {@code jna} nor {@code ffm}
     * @throws UnsupportedOperationException if it asks for FFM where there is none
     */
    public static NativeBinding current() {
        NativeBinding binding = current;
        if (binding == null) {
            // Not in a static initializer: a bad property must be this exception each time, not
            // an ExceptionInInitializerError once and a NoClassDefFoundError after.
            binding = choose(System.getProperty(PROPERTY), Runtime.version().feature(), ffmPresent());
            current = binding;
        }
        return binding;
    }

    /** The rule of {@link #current()}, apart from the JVM it runs in. */
    static NativeBinding choose(String requested, int javaVersion, boolean ffmPresent) {
        boolean ffm = javaVersion >= FFM_JAVA && ffmPresent;
        if (requested == null || requested.isEmpty()) {
            return ffm ? FFM : JNA;
        }
        switch (requested) {
            case "jna":
                return JNA;
            case "ffm":
                if (!ffm) {
                    throw new UnsupportedOperationException("-D" + PROPERTY + "=ffm: " + (javaVersion < FFM_JAVA
                            ? "the FFM binding needs Java " + FFM_JAVA + " or later; this is Java " + javaVersion
                            : "this build of common has no FFM classes (it was built with a JDK before "
                                    + FFM_JAVA + ")"));
                }
                return FFM;
            default:
                throw new IllegalArgumentException("invalid -D" + PROPERTY + "=" + requested
                        + ": use jna or ffm, or leave it unset");
        }
    }

    /**
     * True if this JVM sees the FFM binding's classes: on Java 22+, from a {@code common} built
     * with a JDK 22+. With {@link #FFM_JAVA}, what {@link #current()} decides by when no binding
     * is forced; a program can ask it without making the choice.
     */
    public static boolean ffmPresent() {
        try {
            // Only on Java 22+ does a multi-release jar show its versions/22 classes.
            Class.forName(FFM_POSIX, false, NativeBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The POSIX calls of the current binding, loaded at the first use. */
    static synchronized PosixCalls posix() {
        if (posix == null) {
            posix = load(PosixCalls.class, current() == FFM ? FFM_POSIX : JNA_POSIX);
        }
        return posix;
    }

    /** The Kernel32 calls of the current binding, loaded at the first use. */
    static synchronized Win32Calls win32() {
        if (win32 == null) {
            win32 = load(Win32Calls.class, current() == FFM ? FFM_WIN32 : JNA_WIN32);
        }
        return win32;
    }

    /**
     * Makes a binding's calls, naming the class only here: the FFM classes are compiled for Java
     * 22, and without JNA on the class path the JNA classes must never load. So a copy of this
     * package for Java 22+ without JNA can leave out {@code JnaPosixCalls} and {@code JnaWin32Calls}.
     */
    private static <T> T load(Class<T> type, String className) {
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            throw new UnsupportedOperationException("the " + current() + " binding is not in this build of common: "
                    + className + " is missing");
        } catch (InvocationTargetException e) {
            // A library or symbol that is missing: an UnsatisfiedLinkError, from JNA or the linker.
            Throwable cause = e.getCause();
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("cannot set up " + className, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set up " + className, e);
        }
    }
}
