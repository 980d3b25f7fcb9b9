package dev.shmipc.common;

import java.util.regex.Pattern;

/**
 * The one naming rule for every named object of this project: shared memory, events, mutexes.
 *
 * <p>A program names an object portably, for example {@code demo}. That name becomes
 * {@code /demo} on Linux and macOS (the form {@code shm_open} and {@code sem_open} want) and
 * {@code Local\demo} on Windows (the session namespace, which is also where an unprefixed name
 * goes). Python's {@code multiprocessing.shared_memory.SharedMemory(name="demo")} uses exactly
 * these forms, so both sides see the same object.
 *
 * <p>A portable name is 1 to {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9 . _ -},
 * starting with a letter, digit or underscore, for every kind of object on every OS. The limit
 * is macOS's semaphores': its kernel takes a {@code sem_open} or {@code sem_unlink} name of at
 * most 31 bytes counting the terminating NUL ({@code PSEMNAMLEN} in xnu's {@code posix_sem.c}),
 * so {@code /} and 29 characters. Its {@code shm_open} takes one character more, but events and
 * mutexes are semaphores there, and one rule means that a name that works for one kind of
 * object on one system works for all of them everywhere. The name is used as it is: an event
 * or mutex gives its control block and its semaphore this same name, with no suffix. A
 * program that derives names from a user's base (for example {@code base + ".map"}) must
 * check the base against {@code MAX_LENGTH} minus its longest suffix.
 *
 * <p>On Windows only, a name may carry an explicit namespace, {@code Local\demo} or
 * {@code Global\demo}, which passes through as given. Creating a file mapping in
 * {@code Global\} from a normal desktop session needs the {@code SeCreateGlobalPrivilege}
 * privilege (administrators and services have it); events and mutexes need none, and opening an
 * existing {@code Global\} object needs none either.
 */
public final class ObjectName {
    /** The longest portable name, in characters: 29, macOS's limit for semaphores; see the class comment. */
    public static final int MAX_LENGTH = 29;

    private static final Pattern PORTABLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final String LOCAL = "Local\\";
    private static final String GLOBAL = "Global\\";

    private final String name;
    private final String nativeName;

    private ObjectName(String name, String nativeName) {
        this.name = name;
        this.nativeName = nativeName;
    }

    /**
     * Checks a portable name and derives the native name for this OS.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with the name
     */
    public static ObjectName of(String name) {
        return of(name, OsFamily.current());
    }

    static ObjectName of(String name, OsFamily os) {
        if (name == null) {
            throw new IllegalArgumentException("an object name is required");
        }
        String namespace = null;
        String bare = name;
        if (name.startsWith(LOCAL) || name.startsWith(GLOBAL)) {
            namespace = name.substring(0, name.indexOf('\\') + 1);
            bare = name.substring(namespace.length());
            if (os != OsFamily.WINDOWS) {
                throw new IllegalArgumentException("invalid name '" + name + "': the " + namespace
                        + " namespace exists only on Windows; use '" + bare + "'");
            }
        }
        check(name, bare);
        String nativeName = os == OsFamily.WINDOWS
                ? (namespace == null ? LOCAL : namespace) + bare
                : "/" + bare;
        return new ObjectName(name, nativeName);
    }

    private static void check(String given, String bare) {
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("invalid name '" + given + "': it is empty");
        }
        if (bare.startsWith("/")) {
            throw new IllegalArgumentException("invalid name '" + given
                    + "': leave out the leading '/'; it is added on Linux and macOS");
        }
        if (bare.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid name '" + given + "': " + bare.length()
                    + " characters, at most " + MAX_LENGTH + " (macOS's limit for semaphores, applied to every object everywhere)");
        }
        if (!PORTABLE.matcher(bare).matches()) {
            throw new IllegalArgumentException("invalid name '" + given
                    + "': use letters, digits, '.', '_' and '-', starting with a letter, digit or '_'");
        }
    }

    /** The name as the program gave it. */
    public String name() {
        return name;
    }

    /** The name the OS is given: {@code /demo} on POSIX, {@code Local\demo} on Windows. */
    public String nativeName() {
        return nativeName;
    }

    @Override
    public String toString() {
        return name;
    }
}
