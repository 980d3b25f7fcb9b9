package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the client and the server of article 004, part 2, agree on: four object names, one
 * record-sized buffer, its layout, and the timeouts.
 *
 * <pre>
 *   mapping www.cpp-blog.com          {@value #MAPPING_SIZE} bytes: one WIN32_FIND_DATAW, the run token, the mark
 *   event  IPC_Test_ServerNewData     auto-reset, created not set: "a record is in the buffer"
 *   event  IPC_Test_ClientReadFinish  auto-reset, created set:     "the buffer may be written"
 *   mutex  IPC_Test_LockMutex         created owned by the client, released before the server starts
 *
 *   the mapping
 *   offset  size  constant
 *        0   592  RECORD_OFFSET     the record: a FindData (WIN32_FIND_DATAW, layout there);
 *                                   the only part the article has
 *      592     8  RUN_TOKEN_OFFSET  (not in the article) a random long the client writes once,
 *                                   before it starts the server; native byte order
 *      600     8  MARK_OFFSET       (not in the article) {@link #MARK}, "shmipc04": what tells 04's
 *                                   mapping from another program's of the same name (01's
 *                                   message writer also uses www.cpp-blog.com)
 *      608        MAPPING_SIZE
 *
 *   The run token tells this run's objects from a later run's of the same names: a server whose
 *   client has died removes the four names only if the mapping it finds by name still carries
 *   the token of the one it has mapped (see Channel). The server needs only the record: the
 *   article's C++ client makes a mapping of exactly 592 bytes and writes no token, and the Java
 *   server still serves it (token 0: "none", where runs cannot be told apart).
 * </pre>
 *
 * <p>Names pass through the common name rule: {@code /IPC_Test_ServerNewData} on Linux and
 * macOS, {@code Local\IPC_Test_ServerNewData} on Windows. The article uses {@code Global\};
 * {@code --global} asks for it. Creating a file mapping in {@code Global\} needs the
 * {@code SeCreateGlobalPrivilege} privilege (administrators and services have it); events and
 * mutexes need none. Without it, {@code CreateFileMapping} fails with
 * {@code ERROR_ACCESS_DENIED}, and since the client creates the mapping first, nothing else
 * has been made by then. {@code --names BASE} replaces the four
 * names with {@code BASE.new}, {@code BASE.read}, {@code BASE.lock} and {@code BASE.map}, so
 * that tests and parallel runs never meet; BASE may then have at most {@link #MAX_BASE_LENGTH}
 * characters, so that the longest of the four fits the common name rule.
 */
public final class Contract {
    public static final String SERVER_NEW_DATA = "IPC_Test_ServerNewData";
    public static final String CLIENT_READ_FINISH = "IPC_Test_ClientReadFinish";
    public static final String LOCK_MUTEX = "IPC_Test_LockMutex";
    public static final String MAPPING = "www.cpp-blog.com";

    /** Where the one record sits: the whole of the article's mapping. */
    public static final int RECORD_OFFSET = 0;
    /** After the record: the run token, see the class comment. */
    public static final int RUN_TOKEN_OFFSET = RECORD_OFFSET + FindData.SIZE;
    /** After the run token: {@link #MARK}, see the class comment. */
    public static final int MARK_OFFSET = RUN_TOKEN_OFFSET + 8;
    public static final int MAPPING_SIZE = MARK_OFFSET + 8;
    /** {@code "shmipc04"} read as a big-endian long: the mark of a mapping this module's client made. */
    public static final long MARK = 0x73686D6970633034L;
    /** What a run token of 0 means: the mapping has none (a native client made it). */
    public static final long NO_TOKEN = 0;

    /** The server's waits, as in the article: {@code WaitForSingleObject(..., 5000)}. */
    public static final Duration SERVER_WAIT = Duration.ofMillis(5000);
    /** The client's wait for the mutex (the article waits INFINITE). */
    public static final Duration CLIENT_LOCK_WAIT = Duration.ofMillis(5000);
    /** How often the client, waiting for a record, checks that the server still runs. */
    public static final Duration CLIENT_CHECK_EVERY = Duration.ofMillis(250);
    /** How long the client waits for a record from a server that runs but sends nothing. */
    public static final Duration CLIENT_IDLE_LIMIT = Duration.ofSeconds(30);

    /** What {@code --names BASE} appends to BASE, after a dot, for each object. */
    private static final String NEW_SUFFIX = "new";
    private static final String READ_SUFFIX = "read";
    private static final String LOCK_SUFFIX = "lock";
    private static final String MAP_SUFFIX = "map";
    /**
     * The longest {@code --names BASE}: the common name limit less the longest suffix, dot
     * included, so that every derived name fits and an error can name the user's BASE.
     */
    public static final int MAX_BASE_LENGTH = ObjectName.MAX_LENGTH
            - Stream.of(NEW_SUFFIX, READ_SUFFIX, LOCK_SUFFIX, MAP_SUFFIX).mapToInt(s -> 1 + s.length()).max().orElseThrow();

    private Contract() {
    }

    /** The four object names of one run, and the options that chose them. */
    public static final class Names {
        private final String base;
        private final boolean global;

        private Names(String base, boolean global) {
            this.base = base;
            this.global = global;
        }

        /**
         * The names {@code --names} and {@code --global} ask for (the article's by default).
         *
         * @throws Cli.UsageException naming the user's BASE, never a name derived from it
         */
        static Names from(Cli.Args args) {
            boolean global = args.flag("global");
            if (global && OsFamily.current() != OsFamily.WINDOWS) {
                throw new Cli.UsageException("--global is for Windows only: Linux and macOS have one namespace");
            }
            String base = args.option("names", null);
            if (base != null) {
                checkBase(base);
            }
            return new Names(base, global);
        }

        private static void checkBase(String base) {
            if (base.length() > MAX_BASE_LENGTH) {
                throw new Cli.UsageException("--names BASE must be at most " + MAX_BASE_LENGTH + " characters (the name"
                        + " limit, " + ObjectName.MAX_LENGTH + ", less the longest suffix this module appends), not "
                        + base.length() + " ('" + base + "')");
            }
            if (base.contains("\\")) {
                throw new Cli.UsageException("--names BASE takes no namespace, not '" + base + "' (--global asks for Global\\)");
            }
            try {
                ObjectName.of(base);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException("--names BASE: " + e.getMessage());
            }
        }

        private String name(String article, String suffix) {
            return (global ? "Global\\" : "") + (base == null ? article : base + "." + suffix);
        }

        public String serverNewData() {
            return name(SERVER_NEW_DATA, NEW_SUFFIX);
        }

        public String clientReadFinish() {
            return name(CLIENT_READ_FINISH, READ_SUFFIX);
        }

        public String lockMutex() {
            return name(LOCK_MUTEX, LOCK_SUFFIX);
        }

        public String mapping() {
            return name(MAPPING, MAP_SUFFIX);
        }

        /** The same options again, for the server's command line. */
        List<String> toArgs() {
            List<String> args = new ArrayList<>();
            if (base != null) {
                args.add("--names");
                args.add(base);
            }
            if (global) {
                args.add("--global");
            }
            return args;
        }
    }
}
